"""A reviewer in a real browser: headless Chromium (Debian's `chromium` package, driven by Playwright) on the
demo served by `evidence serve`: open a study, see the marks, reject a value with the keyboard, correct another
through the form, then read `reviews` and `evidence table`."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from evidence_tables.cli import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip(
        "no Chromium on this machine: install Debian's chromium package (apt-get install chromium) "
        "to run the browser test",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the browser test drives Chromium with Playwright: pip install playwright",
)
ARGS = [
    "--no-sandbox"
]  # Chromium's sandbox needs user namespaces, which CI (root, in a container) may not have
MARKED = """() => {
  const text = {};
  for (const mark of document.querySelectorAll("#abstract mark[data-outcome]")) {
    text[mark.dataset.outcome] = (text[mark.dataset.outcome] || "") + mark.textContent;
  }
  return text;
}"""


@pytest.fixture
def demo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "--quiet"])
    assert result.exit_code == 0, result.output
    return tmp_path / "evidence-demo.db"


def cr_values(db) -> dict[str, str]:
    """demo-05's CR rates: regimen -> value id."""
    con = sqlite3.connect(db)
    try:
        return dict(
            con.execute(
                "SELECT regimen, id FROM outcomes WHERE study_id = 'demo-05' AND measure = 'cr_rate'"
            )
        )
    finally:
        con.close()


def test_a_reviewer_rejects_with_the_keyboard_and_corrects_through_the_form(demo, serve, tmp_path):
    con = sqlite3.connect(demo)
    abstract = con.execute("SELECT abstract FROM studies WHERE study_id = 'demo-05'").fetchone()[0]
    spans = {
        i: abstract[s:e]
        for i, s, e in con.execute(
            "SELECT id, start, \"end\" FROM outcomes WHERE study_id = 'demo-05'"
        )
    }
    con.close()
    cr = cr_values(demo)
    base = serve(demo, "--by", "a browser")
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/-/review")
        page.click(f"a[href='/-/review/demo-05#v-{cr['Pola-BR']}']")
        assert page.url.endswith(f"/-/review/demo-05#v-{cr['Pola-BR']}")

        # every value's evidence is marked in the abstract, and the marks are on screen (the page may still
        # be loading after the click on a busy machine: wait for it, then for the marks)
        page.wait_for_load_state("load")
        page.wait_for_selector("#abstract mark[data-outcome]")
        assert page.evaluate(MARKED) == spans and len(spans) == 7
        assert page.locator(f"#abstract mark[data-outcome='{cr['BR']}']").first.is_visible()
        colours = {
            m: page.locator(f"#abstract mark.m-{m}").first.evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            for m in ("cr_rate", "median_os")
        }
        assert colours["cr_rate"] != colours["median_os"]

        # reject BR's CR rate with the keyboard: j until it is selected, then r
        selected = page.locator("article.value.selected")
        for _ in range(len(spans)):
            if selected.get_attribute("data-outcome") == cr["BR"]:
                break
            page.keyboard.press("j")
        assert selected.get_attribute("data-outcome") == cr["BR"]
        assert page.locator(f"#abstract mark.selected[data-outcome='{cr['BR']}']").count() >= 1
        with page.expect_navigation():
            page.keyboard.press("r")
        rejected = page.locator(f"article[data-outcome='{cr['BR']}']")
        assert rejected.locator(".badge").inner_text() == "rejected"
        assert "demo-05 cr_rate [BR] 18%: rejected" in page.locator(".message-info").inner_text()

        # correct Pola-BR's CR rate through the form: a percent over 100 is refused, and the field keeps it
        card = page.locator(f"article[data-outcome='{cr['Pola-BR']}']")
        card.locator("summary").click()
        card.locator("input[name=value]").fill("420")
        with page.expect_navigation():
            card.locator("button[value=correct]").click()
        card = page.locator(f"article[data-outcome='{cr['Pola-BR']}']")
        assert "420 is outside 0-100" in card.locator(".message-error").inner_text()
        page.wait_for_function("document.activeElement && document.activeElement.name === 'value'")
        assert page.evaluate("document.activeElement.value") == "420"
        card.locator("input[name=value]").fill("42")
        card.locator("input[name=note]").fill("Table 2 gives 42%")
        with page.expect_navigation():
            card.locator("button[value=correct]").click()
        card = page.locator(f"article[data-outcome='{cr['Pola-BR']}']")
        assert card.locator(".badge").inner_text() == "corrected"
        assert card.locator(".shown").inner_text() == "42%"
        assert "corrected: value=42 by a browser" in card.locator(".decision").inner_text()
        page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
        browser.close()
    assert errors == []

    con = sqlite3.connect(demo)
    reviews = con.execute(
        "SELECT outcome_id, decision, corrections, note, reviewer FROM reviews ORDER BY review_id"
    )
    assert reviews.fetchall() == [
        (cr["BR"], "rejected", None, None, "a browser"),
        (cr["Pola-BR"], "corrected", '{"value": 42.0}', "Table 2 gives 42%", "a browser"),
    ]
    con.close()
    table = CliRunner().invoke(
        cli, ["table", str(demo), "--csv", "--measure", "cr_rate", "--search", "Pola-BR"]
    )
    rows = [r for r in csv.DictReader(io.StringIO(table.stdout)) if r["study_id"] == "demo-05"]
    assert [(r["group"], r["cr_rate"], r["review_status"]) for r in rows] == [
        ("Pola-BR", "42.0", "cr_rate corrected")
    ]
