import json
PARTIAL_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
def f(name, type="string", desc="", **constraints):
    d = {"name": name, "type": type}
    if desc: d["description"] = desc
    if type == "boolean": d["trueValues"] = ["true"]; d["falseValues"] = ["false"]
    if constraints: d["constraints"] = constraints
    return d
country = lambda req=True, desc="ISO 3166-1 alpha-2 code of the state (GR = Greece, GB = United Kingdom); must exist in `countries`": f("country", desc=desc + ("" if req else "; empty for aggregates, see `area`"), pattern="[A-Z]{2}", **({"required": True} if req else {}))
source = lambda name="source_id": f(name, desc="Key into `sources`: where the row's figure was read", required=True)
opt_source = lambda name: f(name, desc="Key into `sources` (empty where the column it documents is empty)")
note = f("note", desc="Short note in the course authors' words")
fk_country = {"fields": "country", "reference": {"resource": "countries", "fields": "country"}}
fk_source = lambda field="source_id": {"fields": field, "reference": {"resource": "sources", "fields": "source_id"}}

R = []
def res(name, title, description, fields, pk=None, fks=(), sources=()):
    schema = {"fields": fields}
    if pk: schema["primaryKey"] = pk
    if fks: schema["foreignKeys"] = list(fks)
    R.append({"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
              "mediatype": "text/csv", "encoding": "utf-8", "title": title, "description": description,
              "sources": [dict(zip(("title", "path"), s)) if isinstance(s, tuple) else {"title": s} for s in sources],
              "schema": schema})

res("sources", "Sources of every row", "One row per document a figure was read in: its title, publisher, address, publication date and whether it is the issuing body's own document (primary) or a reliable reproduction that reports it (secondary). Every dataset's `source_id` column points here.",
    [f("source_id", desc="Key used by the datasets' source_id columns", required=True, unique=True),
     f("title", required=True), f("publisher", required=True), f("url", desc="Address of the document as published (empty where not known)"),
     f("published", desc="Publication date, as precise as known: YYYY, YYYY-MM or YYYY-MM-DD", pattern=PARTIAL_DATE),
     f("kind", desc="primary: the issuing body's own document; secondary: a reproduction or report of it", required=True, enum=["primary", "secondary"]),
     f("how_read", desc="Which stored copy the figure was read in"), note],
    pk="source_id", sources=["Compiled for this course from the documents listed"])

res("countries", "EU and NATO member states", "Every EU member state and every NATO ally (36 states in 2025), plus the other European states the datasets refer to, with accession years, notes on neutrality or non-alignment and, for EU members, population on 1 January 2025 (used by the Council voting calculator).",
    [f("country", desc="ISO 3166-1 alpha-2 code (GR = Greece, GB = United Kingdom)", required=True, unique=True, pattern="[A-Z]{2}"),
     f("iso3", desc="ISO 3166-1 alpha-3 code", required=True, unique=True, pattern="[A-Z]{3}"),
     f("name", desc="English short name", required=True, unique=True),
     f("eu_accession_year", "integer", "Year the state joined the EU (or its predecessor); empty if not a member", minimum=1958, maximum=2025),
     f("nato_accession_year", "integer", "Year the state joined NATO; empty if not an ally", minimum=1949, maximum=2025),
     f("defence_status_note", desc="Neutrality, non-alignment, opt-outs or accession history, in our words, ending with the source ids used"),
     f("population", "integer", "Population on `population_date` (persons; EU members only)", minimum=0),
     f("population_date", "date", "Reference date of `population`"),
     f("membership_source_id", desc="Key into `sources` for the accession years", required=True),
     opt_source("population_source_id")],
    pk="country", fks=[fk_source("membership_source_id"), fk_source("population_source_id")],
    sources=[("Eurostat, population on 1 January 2025 (July 2025 release, read in a reproduction)",), ("European Commission and europa.eu, EU member countries and years of entry",), ("NATO, member countries and accession dates",)])

res("defence_spending", "NATO defence expenditure by ally", "Defence expenditure of each NATO ally as a share of GDP (NATO definition) and in constant US dollars, 2014 to the latest estimate, from three NATO releases. Use one `nato_release` at a time: NATO revises past years and changes the price base in each release. The June 2024 release (2014-2024) is the complete primary series; `2025-08` is partial; `2026-07` ('Defence Investment of NATO Countries (2014-2026)') was published after the source article and counts core defence spending only. Iceland has no armed forces and is not in NATO's tables. Rows with an empty country are NATO aggregates (see `area`).",
    [country(False), f("year", "integer", "Calendar year", required=True, minimum=2014, maximum=2026),
     f("pct_gdp", "number", "Defence expenditure as % of GDP (NATO definition, real GDP)", minimum=0, maximum=20),
     f("usd_m_constant", "number", "Defence expenditure in million US dollars at constant prices (see price_base)", minimum=0),
     f("price_base", desc="Prices and exchange rates of usd_m_constant"),
     f("estimate", "boolean", "true where NATO marks the figure as an estimate", required=True),
     f("nato_release", desc="Year and month of the NATO release (YYYY-MM)", required=True, pattern=r"\d{4}-\d{2}"),
     source(), note, f("area", desc="The ally's name, or the aggregate's label where country is empty (e.g. NATO total)", required=True)],
    pk=["area", "year", "nato_release"], fks=[fk_country, fk_source()],
    sources=[("NATO, Defence Expenditure of NATO Countries (2014-2024), 17 June 2024",), ("NATO, Defence Expenditure of NATO Countries (2014-2025), August 2025 (partial)",), ("NATO, Defence Investment of NATO Countries (2014-2026), July 2026",)])

res("spending_targets", "NATO spending targets", "NATO's spending guidelines and commitments: the 2 % guideline (2006), the Wales pledge (2014) and The Hague commitment (2025) of 5 % of GDP by 2035, split into 3.5 % for core defence and up to 1.5 % for defence- and security-related spending.",
    [f("target_id", required=True, unique=True), f("name", required=True),
     f("value_pct_gdp", "number", "Target as % of GDP", required=True, minimum=0, maximum=100),
     f("agreed_date", desc="When allies agreed it: YYYY or YYYY-MM-DD", required=True, pattern=PARTIAL_DATE),
     f("deadline_year", "integer", "Year by which the target is to be met (empty: none)"),
     f("description", required=True), source()],
    pk="target_id", fks=[fk_source()],
    sources=[("NATO, Wales Summit news release, 5 September 2014",), ("The Hague Summit Declaration, 25 June 2025, as reported by news agencies",)])

res("arms_imports", "SIPRI arms-transfer shares", "Shares and changes in the volume of international transfers of major arms, from SIPRI's annual 'Trends in International Arms Transfers' fact sheets (March 2024, 2025 and 2026) as reported by news media. SIPRI measures volumes with its trend-indicator value (TIV), over five-year periods.",
    [f("period", desc="Five-year period, or two periods compared (e.g. '2015-19 to 2020-24'), or a reference date for counts", required=True),
     f("recipient", desc="Recipient state or group", required=True), country(False),
     f("supplier", desc="Supplier state, or 'All suppliers'", required=True),
     f("measure", desc="What value measures; _pct measures are percentages, _min_pct/_max_pct are reported lower/upper bounds, _count are numbers of aircraft", required=True,
       enum=["share_of_recipient_imports_pct", "share_of_recipient_imports_min_pct", "share_of_recipient_imports_max_pct", "change_in_volume_pct", "share_of_world_imports_pct", "share_of_world_exports_pct", "share_of_supplier_exports_pct", "combat_aircraft_on_order_count", "f35_on_order_or_preselected_count"]),
     f("value", "number", "The figure, in the unit the measure names", required=True), source(), note],
    pk=["period", "recipient", "supplier", "measure"], fks=[fk_country, fk_source()],
    sources=[("SIPRI, Trends in International Arms Transfers fact sheets (2024, 2025, 2026), as reported by news media",)])

ORIGINS = ["US", "European", "US-European", "Israeli", "Soviet/Russian", "other"]
res("fighter_fleets", "Combat aircraft in service", "Combat aircraft in service in EU and European NATO states, by country and type, with the manufacturer's origin. Counts come from directories and reports of different years (see reference_year): they are approximate and a total over rows mixes years.",
    [country(), f("aircraft_type", required=True), f("origin", desc="Where the type is designed and built", required=True, enum=ORIGINS),
     f("in_service", "integer", "Aircraft in service (count)", required=True, minimum=0),
     f("reference_year", "integer", "Year the count refers to", required=True, minimum=2015, maximum=2026),
     f("approximate", "boolean", "true where the source gives an approximate or directory count", required=True), source(), note],
    pk=["country", "aircraft_type"], fks=[fk_country, fk_source()],
    sources=[("FlightGlobal, World Air Forces directories (2020-2025), as reported",), ("National defence ministries and air forces, as reported by news media",)])

res("fighter_orders", "Combat aircraft on order", "Orders for combat aircraft placed by European states (F-35, Eurofighter, Rafale, Gripen, FA-50, F-16), with deliveries where reported.",
    [country(), f("aircraft_type", required=True), f("origin", required=True, enum=ORIGINS),
     f("ordered", "integer", "Aircraft ordered (count)", required=True, minimum=0),
     f("delivered", "integer", "Of which delivered by as_of (count; empty if not reported)", minimum=0),
     f("as_of", desc="Date the counts refer to: YYYY, YYYY-MM or YYYY-MM-DD", required=True, pattern=PARTIAL_DATE), source(), note],
    pk=["country", "aircraft_type"], fks=[fk_country, fk_source()],
    sources=[("Defence ministries, Lockheed Martin, Dassault, Saab and Eurofighter announcements, as reported",)])

res("air_defence", "Ground-based air and missile defence systems", "Long- and medium-range ground-based air and missile defence systems in service or on order in European states, by system and origin.",
    [country(), f("system", required=True), f("origin", required=True, enum=ORIGINS),
     f("range_class", required=True, enum=["long", "medium"]), f("status", required=True, enum=["in_service", "on_order"]),
     f("units", "integer", "Batteries or fire units, where published", minimum=0),
     f("as_of", required=True, pattern=PARTIAL_DATE), source(), note],
    pk=["country", "system", "status"], fks=[fk_country, fk_source()],
    sources=[("Governments, Raytheon, MBDA/Eurosam, Diehl and Kongsberg announcements, as reported",)])

res("survey_questions", "Survey questions", "The survey items behind the public-opinion figures: survey, fieldwork dates, exact wording as far as published, the answer counted, and who was asked.",
    [f("question_id", required=True, unique=True), f("survey", required=True),
     f("year", "integer", "Year of fieldwork", required=True, minimum=2000, maximum=2026),
     f("short_label", desc="Short label for charts, in our words", required=True),
     f("fieldwork_start", desc="YYYY-MM or YYYY-MM-DD", pattern=PARTIAL_DATE), f("fieldwork_end", pattern=PARTIAL_DATE),
     f("question_wording", desc="Wording as published (see note where only the item is known)", required=True),
     f("answer", desc="The answer category the percentages count", required=True),
     f("population", desc="Who was asked", required=True), source(), note],
    pk="question_id", fks=[fk_source()],
    sources=[("European Commission, Standard and Special Eurobarometer surveys (2005-2025), as reported",), ("Le Grand Continent / Cluster17, 'Eurobazooka' polls (2025-2026)",)])

res("opinion", "Survey results", "Share of respondents giving the counted answer, by survey item and country or aggregate.",
    [f("question_id", desc="Key into survey_questions", required=True), country(False),
     f("area", desc="Country name, or the aggregate's label (e.g. EU27)", required=True),
     f("value_pct", "number", "Share of respondents (%)", required=True, minimum=0, maximum=100), source(), note],
    pk=["question_id", "area"], fks=[{"fields": "question_id", "reference": {"resource": "survey_questions", "fields": "question_id"}}, fk_country, fk_source()],
    sources=[("European Commission, Standard and Special Eurobarometer surveys (2005-2025), as reported",), ("Le Grand Continent / Cluster17, 'Eurobazooka' polls (2025-2026)",)])

res("incidents", "Drone and airspace incursions, 2025", "Dated drone and airspace incursions into European states in 2025, with the response and the attribution the state made.",
    [f("date", "date", "First day of the incident", required=True), f("end_date", "date", "Last day, if it lasted several days"),
     country(), f("kind", required=True, enum=["drone incursion", "drone sightings", "manned aircraft violation"]),
     f("aircraft_count", "integer", "Drones or aircraft involved, where published", minimum=0),
     f("description", required=True), f("response", required=True),
     f("attribution", required=True, enum=["Russia (confirmed by the state)", "Russia suspected", "unattributed"]), source(), note],
    pk=["date", "country", "kind"], fks=[fk_country, fk_source()],
    sources=[("NATO North Atlantic Council statement, 23 September 2025",), ("Statements of the governments concerned, as reported by news agencies",)])

res("drone_attacks_ukraine", "Russian drone and missile launches against Ukraine, 2025", "Long-range drones and missiles launched by Russia against Ukraine, by month and for record nights, as counted by the Ukrainian Air Force. January-April come from a different compiler than May-December (see counted_by): do not splice the two without care.",
    [f("period_start", "date", required=True), f("period_end", "date", required=True),
     f("drones_launched", "integer", "Drones launched (count)", required=True, minimum=0),
     f("missiles_launched", "integer", "Missiles launched (count)", minimum=0),
     f("drones_downed_or_suppressed", "integer", "Drones shot down or jammed (count)", minimum=0),
     f("counted_by", required=True), source(), note],
    pk=["period_start", "period_end"], fks=[fk_source()],
    sources=[("Ukrainian Air Force daily reports, compiled by AFP (May-December 2025) and by Ukraine's Centre for Countering Disinformation (January-April 2025)",)])

res("attrition_parameters", "Figures for the air-defence attrition model", "Published figures that set the defaults and ranges of the air-defence attrition explorer: drones per night, share shot down, costs of drones and interceptors, interceptor production. Each is an estimate or report by the named source.",
    [f("parameter_id", desc="Row key: the parameter and a running number", required=True, unique=True),
     f("parameter", desc="What the figure measures (e.g. drones_per_night, interceptor_cost_usd)", required=True), f("system_or_item", required=True),
     f("value", "number", "The source's central or reported figure"), f("low", "number", "Low end of a published range"),
     f("high", "number", "High end of a published range"), f("unit", required=True), source(), note],
    pk="parameter_id", fks=[fk_source()],
    sources=[("Ukrainian Air Force reports; CSIS; Lockheed Martin; statements of Ukraine's president, as reported",)])

res("threat_assessments", "Official threat assessments", "Official assessments of when Russia could be able to attack a NATO state, including the Danish Defence Intelligence Service's of 11 February 2025.",
    [f("assessment_id", required=True, unique=True), f("issuer", required=True),
     f("date", desc="YYYY-MM or YYYY-MM-DD", required=True, pattern=PARTIAL_DATE),
     f("scenario", required=True), f("timeframe"), f("condition"),
     f("quote", desc="Short exact quotation in English translation, where read"), source(), note],
    pk="assessment_id", fks=[fk_source()],
    sources=[("Danish Defence Intelligence Service, threat assessment of 11 February 2025, as reported",), ("NATO, BND and Bundeswehr statements, as reported",)])

res("treaty_articles", "Treaty provisions", "Text of the treaty provisions the course discusses (TEU, TFEU, North Atlantic Treaty), with a plain-language summary written by the course authors and the decision rule that applies.",
    [f("provision_id", desc="e.g. TEU-42-7 = TEU Article 42(7)", required=True, unique=True, pattern=r"(TEU|TFEU|NAT)-\d+(-\d+)?"),
     f("treaty", required=True, enum=["TEU", "TFEU", "North Atlantic Treaty"]),
     f("article", "integer", required=True, minimum=1), f("paragraph", "integer", minimum=1),
     f("text", desc="The provision's text (English)", required=True), f("summary", desc="Plain-language summary in our words", required=True),
     f("decision_rule", enum=["unanimity", "qualified majority"]), source(), note],
    pk="provision_id", fks=[fk_source()],
    sources=[("Consolidated versions of the Treaty on European Union and the Treaty on the Functioning of the European Union (read mostly in reproductions; see each row's note)",), ("The North Atlantic Treaty, Washington D.C., 4 April 1949",)])

res("safe_loans", "SAFE loan allocations", "The Security Action for Europe (SAFE) instrument, Council Regulation (EU) 2025/1106 of 27 May 2025: loans of up to EUR 150 bn. Tentative allocations by the Commission (9 September 2025) and amounts approved by the Council (February 2026), per member state.",
    [country(), f("allocation_eur_bn", "number", "Loan amount (EUR billion)", required=True, minimum=0, maximum=150),
     f("as_of", "date", required=True), f("status", required=True, enum=["tentative (Commission allocation)", "approved (Council implementing decision, maximum loan amount)"]),
     source(), note],
    pk=["country", "as_of"], fks=[fk_country, fk_source()],
    sources=[("Council Regulation (EU) 2025/1106 (SAFE)",), ("European Commission, tentative SAFE allocation of 9 September 2025, as reported",), ("Council of the EU, implementing decisions of February 2026",)])

res("coalition_of_the_willing", "The Coalition of the Willing", "What is publicly known of the Coalition of the Willing: its summits, the number of participants and of states committed to a reassurance force, and the stated positions of individual states. The list of the 26 committed states was never published.",
    [country(False), f("date", "date", required=True), f("item", required=True),
     f("value", "integer", "Number, where the row states one", minimum=0), f("detail", required=True),
     f("contributes_ground_troops", desc="Per-country rows: would the state send ground troops to Ukraine?", enum=["yes", "no", "undecided", "not stated"]),
     source(), note],
    fks=[fk_country, fk_source()],
    sources=[("Élysée and UK government statements on the Paris summit of 4 September 2025, as reported",)])

res("timeline", "Timeline 2014-2025", "Dated events from Russia's annexation of Crimea to the end of 2025 that the course's timeline draws.",
    [f("date", "date", required=True), f("event", required=True),
     f("category", required=True, enum=["war", "nato", "eu", "incident", "coalition", "us"]),
     country(False), f("description", required=True), source()],
    pk=["date", "event"], fks=[fk_country, fk_source()],
    sources=[("NATO, Council of the EU, European Commission and government announcements, as reported",)])

DATASETS = ["countries", "defence_spending", "spending_targets", "arms_imports", "fighter_fleets", "fighter_orders", "air_defence", "survey_questions", "opinion", "incidents", "drone_attacks_ukraine", "attrition_parameters", "threat_assessments", "treaty_articles", "safe_loans", "coalition_of_the_willing", "timeline"]
res("article_claims", "The source article's claims, checked", "Every quantitative or legal claim of the source article (dated 2025-12-27), one per row, with the dataset and rows that check it, the primary figure and a verdict: supported, qualified (true only with a caveat), corrected (wrong as stated) or unverifiable (no source found).",
    [f("claim_id", required=True, unique=True, pattern="c[0-9]{2}"),
     f("chapter", desc="Course chapter the claim belongs to", required=True, enum=["intro", "threat", "us-posture", "capability", "eu-nato", "constitution", "conclusion"]),
     f("quote", desc="The article's words (at most 25 words)", required=True), f("claim", desc="The claim restated in our words", required=True),
     f("dataset", desc="Course dataset that checks the claim (empty if none)", enum=DATASETS),
     f("dataset_key", desc="Which rows of that dataset to look at"), f("primary_value", desc="What the primary source says"),
     f("verdict", required=True, enum=["supported", "qualified", "corrected", "unverifiable"]),
     f("explanation", desc="One sentence for students", required=True), f("source_id", desc="Key into `sources` (empty for unverifiable claims)")],
    pk="claim_id", fks=[fk_source()],
    sources=[("The source article (2025-12-27), checked against the course's datasets",)])

pkg = {"profile": "tabular-data-package", "name": "european-defence-course",
       "title": "European defence: evidence for the course 'Europe's defence: the will and the ways'",
       "description": "Primary-source datasets behind every figure of the course. Each row names its source in `source_id` (see the `sources` resource); `data/README.md` describes each dataset for humans.",
       "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0 (the compilation; figures remain those of their sources)"}],
       "resources": R}
import sys
json.dump(pkg, open(sys.argv[1], "w"), indent=2, ensure_ascii=False)
open(sys.argv[1], "a").write("\n")
print(len(R))
