#!/usr/bin/env python3
"""Opens a `vanban report` site in headless Chromium through chromedriver (selenium) and
checks what only a browser shows: each kind of page loads with no error in the console,
and the search box, as a person types into it, filters `so y te` down to Sở Y tế's tasks
(with or without diacritics, in any case).

    check_site.py SITE [--screenshots DIR] [--agency SLUG]

With --screenshots, the home page and an agency's page (--agency, default Sở Y tế's) are
saved as DIR/report-home.png and DIR/report-agency.png (the README shows them). Exits 0 when every check passes, 1 with the
failures on stderr otherwise.
"""

import argparse
import pathlib
import shutil
import sys
import tempfile
import unicodedata

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def fold(text):
    """The pages' folding: no marks, đ as d, lower case, one space per run."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("đ", "d").replace("Đ", "d").lower()
    for dash in "-\u2013\u2014_":
        text = text.replace(dash, " ")
    return " ".join(text.split())


def start_browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1400",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def open_page(driver, site, relative, failures):
    """Loads a page and records the console's errors (SEVERE) as failures."""
    driver.get((site / relative).resolve().as_uri())
    state = driver.execute_script("return document.readyState")
    if state != "complete":
        failures.append(f"{relative}: not loaded ({state})")
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            failures.append(f"{relative}: console error: {entry.get('message')}")
    if not driver.find_elements(By.TAG_NAME, "h1"):
        failures.append(f"{relative}: no heading rendered")


def type_query(driver, query):
    box = driver.find_element(By.ID, "search")
    # As a person would: select what is there, delete it, type (clear() fires no input event).
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    if query:
        box.send_keys(query)
    return driver.execute_script(
        """
        return Array.from(document.querySelectorAll('li.task')).map(function (li) {
          var agency = li.querySelector('.meta a');
          return {agency: agency ? agency.textContent : '', search: li.getAttribute('data-search'),
                  shown: !li.hidden && li.offsetParent !== null};
        });
        """
    )


def check_search(driver, site, failures):
    """On the list of all tasks, `so y te` leaves Sở Y tế's tasks (and only tasks that
    name it); `SỞ Y TẾ` leaves the same ones; clearing the box shows all again."""
    open_page(driver, site, "tasks.html", failures)
    tasks = type_query(driver, "so y te")
    shown = [t for t in tasks if t["shown"]]
    own = [t for t in tasks if "so y te" in fold(t["agency"])]
    if not own:
        failures.append("tasks.html: no task of Sở Y tế to search for")
    if not shown or len(shown) == len(tasks):
        failures.append(f"search `so y te`: {len(shown)} of {len(tasks)} tasks shown")
    if any(not t["shown"] for t in own):
        failures.append("search `so y te`: a task of Sở Y tế is hidden")
    strays = [t for t in shown if "so y te" not in fold(t["search"])]
    if strays:
        failures.append(f"search `so y te`: {len(strays)} tasks shown that do not name Sở Y tế")
    marked = type_query(driver, "SỞ Y TẾ")
    if [t["shown"] for t in marked] != [t["shown"] for t in tasks]:
        failures.append("search `SỞ Y TẾ` shows other tasks than `so y te`")
    cleared = type_query(driver, "")
    if not all(t["shown"] for t in cleared):
        failures.append("an empty search does not show every task")
    others = len(shown) - len(own)
    print(f"search `so y te`: {len(shown)} of {len(tasks)} tasks shown, {len(own)} of them "
          f"Sở Y tế's, {others} of other agencies naming it in their text")


def pages(site, slug):
    """One page of each kind: the home page, the task list, an agency, a document, a graph."""
    agency = sorted((site / "agencies").glob(f"{slug}*.html")) or sorted((site / "agencies").glob("*.html"))
    document = sorted((site / "documents").glob("*.html"))
    graph = sorted((site / "graphs").glob("*.html"))
    chosen = ["index.html", "tasks.html"]
    for found in (agency, document, graph):
        if found:
            chosen.append(found[0].relative_to(site).as_posix())
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=pathlib.Path)
    parser.add_argument("--screenshots", type=pathlib.Path)
    parser.add_argument("--agency", default="so-y-te")
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as profile:
        driver = start_browser(profile)
        try:
            chosen = pages(args.site, args.agency)
            if len(chosen) < 5:
                failures.append(f"{args.site}: not every kind of page is there: {chosen}")
            for relative in chosen:
                open_page(driver, args.site, relative, failures)
            check_search(driver, args.site, failures)
            if args.screenshots:
                args.screenshots.mkdir(parents=True, exist_ok=True)
                for name, relative in (("home", chosen[0]), ("agency", chosen[2])):
                    open_page(driver, args.site, relative, failures)
                    driver.save_screenshot(str(args.screenshots / f"report-{name}.png"))
            print(f"{len(chosen)} pages loaded: {', '.join(chosen)}")
        finally:
            driver.quit()
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
