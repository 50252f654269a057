"""The lesson's words: templates, bold terms and glossary, biotech uses, own-data commands."""

import re

import pytest

from benchlearn.lessons.lesson1 import APP_PATH, bending, biotech_page, content, glossary

APP_TEXT = APP_PATH.read_text(encoding="utf-8")


PROSE = [*content.SECTIONS.values(), *biotech_page.SECTIONS.values(), *bending.SECTIONS.values()]


def bold_terms() -> set[str]:
    terms = set()
    for text in PROSE:
        terms |= {" ".join(t.split()) for t in re.findall(r"\*\*([^*]+)\*\*", text)}
    return terms


def test_every_bold_term_in_the_prose_has_a_glossary_entry():
    missing = [term for term in bold_terms() if glossary.lookup(term) is None]
    assert missing == []


def test_every_glossary_term_is_introduced_in_bold_somewhere_in_the_prose():
    introduced = {" ".join(t.lower().split()) for t in bold_terms()}
    introduced |= {t.removesuffix("s") for t in introduced}
    assert sorted(set(glossary.GLOSSARY) - introduced) == []


def test_each_glossary_term_is_bold_only_once():
    counts: dict[str, int] = {}
    for text in PROSE:
        for term in re.findall(r"\*\*([^*]+)\*\*", text):
            key = " ".join(term.lower().split())
            counts[key] = counts.get(key, 0) + 1
    assert {term: n for term, n in counts.items() if n > 1} == {}


def test_glossary_lookup_ignores_case_spacing_and_plural():
    assert glossary.lookup("Parameters") == glossary.GLOSSARY["parameter"]
    assert glossary.lookup("loss\n surface") == glossary.GLOSSARY["loss surface"]
    assert glossary.lookup("no such term") is None


def test_fill_refuses_a_template_with_a_missing_value():
    with pytest.raises(KeyError, match="rows"):
        content.fill("own_dropped", count=1)
    assert "row(s) 7 of your file" in content.fill("own_dropped", count=1, rows="7")


def test_every_template_field_is_filled_by_the_app():
    app_text = APP_TEXT
    for key, fields in content.TEMPLATE_FIELDS.items():
        assert f'"{key}"' in app_text, key
        for field in fields:
            assert f"{field}=" in app_text, (key, field)


def test_every_section_is_shown_by_the_app():
    assert [key for key in content.SECTIONS if f'"{key}"' not in APP_TEXT] == []


def test_five_biotech_uses_each_name_the_part_that_returns_to_them():
    assert set(content.BIOTECH_USES) == {"molecules", "compound_screening", "patient_subtypes",
                                         "omics", "clinical_imaging"}  # fmt: skip
    for title, example in content.BIOTECH_USES.values():
        assert title and re.search(r"Parts? \d", example), title
        assert "Part 4" in example, title  # each is shown live there


def test_no_biotech_area_points_at_the_diabetes_table():
    text = " ".join(example for _, example in content.BIOTECH_USES.values())
    text += content.SECTIONS["several_predictors"]
    assert "diabetes" not in " ".join(e for _, e in content.BIOTECH_USES.values())
    assert "systems biology" not in text.lower() and "systems-biology" not in text.lower()
    assert "biodiversity mining" in content.BIOTECH_USES["compound_screening"][1].lower()


def test_prose_uses_no_latex_that_would_need_a_maths_font():
    for key, text in content.SECTIONS.items():
        assert "$" not in text and "\\frac" not in text, key


def test_own_data_commands_are_shown_and_run(cli, tmp_path, monkeypatch):
    for command in content.OWN_DATA_COMMANDS:
        assert command in content.SECTIONS["own_data"]
    # as typed, in a fresh folder (in-process: tests/cli runs the installed command end to end)
    monkeypatch.chdir(tmp_path)
    for command in content.OWN_DATA_COMMANDS[1:]:
        program, *args = command.split()
        assert program == "benchlearn"
        result = cli(*args)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "protein_assay.html").exists()


def test_a_section_cut_at_its_sub_headings_is_the_section_again():
    pieces = content.subsections("regression_intro")
    assert len(pieces) == 2
    assert pieces[0].lstrip().startswith("## Part 3") and pieces[1].startswith("### ")
    assert "".join(pieces) == content.SECTIONS["regression_intro"]
    assert content.subsections("nesting_intro") == [content.SECTIONS["nesting_intro"]]
