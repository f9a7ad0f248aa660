"""Class variants: parameters drawn from a seed and the data, rendered into the masters, and
graded against the class's own version."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from defence_course.teach import assignments, variants
from defence_course.teach.variants import VariantError

SEEDS = ("class-7b", "lycee-2027")


def test_a_seed_always_gives_the_same_parameters_and_two_seeds_differ():
    for name in variants.SPECS:
        first = variants.parameters(name, SEEDS[0])
        assert first == variants.parameters(name, SEEDS[0])
        assert first != variants.parameters(name, SEEDS[1]), name
        assert set(first) == set(variants.parameters(name, None)), name


def test_most_assignments_have_variants():
    chapters = [a for a in assignments.ASSIGNMENTS.values() if not a.capstone]
    assert {a.name for a in chapters} <= set(variants.SPECS)


@pytest.mark.parametrize("seed", ["", "public", "a b", "x" * 41, "../etc", None])
def test_a_bad_seed_is_refused_with_what_is_allowed(seed):
    if seed is None:
        with pytest.raises(VariantError, match="has no class variants"):
            variants.parameters("capstone", "class-7b")
        return
    with pytest.raises(VariantError, match="1-40 letters, digits"):
        assignments.get("threat").with_variant(seed)


def test_rendering_names_a_placeholder_without_a_parameter_and_a_parameter_never_used():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("In {{ country }}"),
            nbformat.v4.new_code_cell("x = '{{year}}'"),
        ]
    )
    done = variants.render_notebook(
        nbformat.from_dict(json.loads(json.dumps(nb))), {"country": "PL", "year": "2024"}, "toy"
    )
    assert [c.source for c in done.cells] == ["In PL", "x = '2024'"]
    with pytest.raises(VariantError, match=r"toy.ipynb, cell 1: placeholder \{\{ year \}\}"):
        variants.render_notebook(
            nbformat.from_dict(json.loads(json.dumps(nb))), {"country": "PL"}, "toy"
        )
    with pytest.raises(VariantError, match="uses no placeholder for threshold"):
        variants.render_notebook(
            nbformat.from_dict(json.loads(json.dumps(nb))),
            {"country": "PL", "year": "2024", "threshold": "2"},
            "toy",
        )


def _as_in_json(value: str) -> str:
    """``value`` as a notebook file writes it (a quote as \\", a backslash as \\\\)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def test_the_public_masters_render_to_themselves_with_the_defaults():
    """The committed student notebooks show the defaults; no placeholder is left anywhere."""
    for assignment in assignments.ASSIGNMENTS.values():
        text = assignment.student_notebook.read_text(encoding="utf-8")
        assert not variants.PLACEHOLDER.search(text), assignment.name
        for value in assignment.parameters.values():
            assert _as_in_json(value) in text, (assignment.name, value)


# --- end to end: build two variants, grade one's solutions against both --------------------


def _solutions(build: Path, assignment: assignments.Assignment) -> bytes:
    """The autograder notebook otter wrote (every solution filled in), handed in as made from
    the variant's student notebook."""
    nb = json.loads((build / "dist" / "autograder" / assignment.master.name).read_text())
    nb["metadata"]["defence_course"] = {
        "assignment": assignment.name,
        "variant": assignment.variant,
    }
    return json.dumps(nb).encode()


@pytest.fixture(scope="module")
def variant_builds(tmp_path_factory):
    """Both seeds' versions of every assignment with variants. otter does not run the solutions
    here: grading them below shows whether they pass (run_tests=True would double the time)."""
    root = tmp_path_factory.mktemp("variants")
    built = {}
    for name in variants.SPECS:
        for seed in SEEDS:
            assignment = assignments.get(name).with_variant(seed)
            result = assignments.build(assignment, root=root, run_tests=False)
            built[name, seed] = (assignment, result)
    return root, built


def test_each_variant_has_its_own_answers_and_is_graded_against_them(variant_builds, tmp_path):
    """Both seeds' solutions, graded as one class against the second seed: its own score full
    marks; the other's lose points on at least half the autograded questions, and are flagged."""
    from defence_course.teach.grader.grading import grade_folder

    root, built = variant_builds
    mine, theirs = SEEDS[1], SEEDS[0]
    for name in variants.SPECS:
        folder = tmp_path / name
        folder.mkdir()
        for student, seed in (("own", mine), ("other", theirs)):
            assignment, result = built[name, seed]
            (folder / f"{student}.ipynb").write_bytes(_solutions(result.dist.parent, assignment))
        report = grade_folder(
            folder,
            tmp_path / f"{name}-out",
            assignment=name,
            variant=mine,
            build_root=root,
            progress=False,
            write=False,
            jobs=2,
        )
        rows = {o.student_id: o for o in report.outcomes}
        auto = auto_points(root, name, mine)
        own, other = rows["own"], rows["other"]
        assert {q: own.points[q] for q in auto} == auto, (name, own.reason)
        differing = [q for q in auto if other.points[q] < auto[q]]
        assert len(differing) * 2 >= len(auto), (name, differing, list(auto))
        assert any("made from variant" in note for note in other.notes), other.notes
        assert not any("made from variant" in note for note in own.notes), own.notes


def auto_points(root: Path, name: str, seed: str) -> dict[str, float]:
    manifest = json.loads((root / f"{name}-variant-{seed}" / "grading.json").read_text())
    return {q["name"]: q["points"] for q in manifest["questions"] if not q["manual"]}


def test_a_variant_student_notebook_says_which_it_is_and_never_overwrites_the_public_one(
    variant_builds,
):
    _, built = variant_builds
    for (name, seed), (assignment, result) in built.items():
        nb = json.loads(result.student_notebook.read_text(encoding="utf-8"))
        assert nb["metadata"]["defence_course"] == {"assignment": name, "variant": seed}
        assert result.student_notebook != assignment.student_notebook
        for value in assignment.parameters.values():
            assert _as_in_json(value) in result.student_notebook.read_text(encoding="utf-8")
