// The website's chart runtime (see build.mjs): Vega's parser and View with only the dataflow
// operators that the course's compiled charts use, and vega-tooltip's handler (the tooltips that
// Vega-Embed gave the charts), as window.dcVega. The charts' Vega specs are compiled from
// Vega-Lite when the book is built (defence_course.charts.website_vega).
//
// A chart that needs another transform fails to draw with "Unrecognized transform type": add it
// to TRANSFORMS below and run `npm run build` (tests/test_vega_runtime.py checks the built
// site's specs against the list in the bundle's banner).
import {extend} from 'vega-util';
import {transforms} from 'vega-dataflow';
import {
  aggregate, bin, collect, compare, expression, extent, facet, field, filter, flatten, fold,
  formula, joinaggregate, key, lookup, multiextent, multivalues, params, prefacet, project,
  proxy, relay, sequence, sieve, subflow, timeunit, tupleindex, values,
  window as windowTransform, // (not to be taken for the browser's window)
} from 'vega-transforms';
import {bound, identifier, mark, overlap, render, viewlayout} from 'vega-view-transforms';
import {axisticks, datajoin, encode, legendentries, scale, sortitems, stack} from 'vega-encode';
import {geojson, geopath, geoshape, projection} from 'vega-geo';
import {parse} from 'vega-parser';
import {View} from 'vega-view';
import {Handler} from 'vega-tooltip';

// build.mjs lists these names in the bundle's banner.
const TRANSFORMS = {
  aggregate, bin, collect, compare, expression, extent, facet, field, filter, flatten, fold,
  formula, joinaggregate, key, lookup, multiextent, multivalues, params, prefacet, project,
  proxy, relay, sequence, sieve, subflow, timeunit, tupleindex, values, window: windowTransform,
  bound, identifier, mark, overlap, render, viewlayout,
  axisticks, datajoin, encode, legendentries, scale, sortitems, stack,
  geojson, geopath, geoshape, projection,
};
extend(transforms, TRANSFORMS);

globalThis.dcVega = {parse, View, Handler, transforms: Object.keys(TRANSFORMS)};
