"""The pages in a real browser: Debian's Chromium driven by Selenium against `docgen serve` in a subprocess.

Screenshots of each page are left in the test's temporary folder (looked at when the pages change).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .web_home import PASSWORD, make_web_home, served

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1100,900")


@pytest.fixture(scope="module")
def server(tmp_path_factory, soffice):
    home = tmp_path_factory.mktemp("browser") / "home"
    make_web_home(home)
    with served(home) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("chromium and chromium-driver are not installed: run `make test` as root or "
                    "apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    chrome.implicitly_wait(10)  # a loaded machine (the whole suite on 2 cores) may be slow to show a page
    chrome.downloads = downloads
    chrome.shots = tmp_path_factory.mktemp("screenshots")
    try:
        yield chrome
    finally:
        chrome.quit()


def click_and_wait(browser, by: str, value: str) -> None:
    """Click what loads a new page, and wait until it has replaced the old one.

    The old page is marked with a property of its window; a new document has a new window object,
    so the mark is gone once the next page is loaded. (Selenium's staleness_of asks Chromium about
    an old node, which Chromium 156 may answer with "Node with given id does not belong to the
    document" instead of a stale element.) Chromium may still be settling the page that was just
    loaded: the element is then looked up again and clicked again."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def settled(b) -> bool:
        try:
            return b.execute_script("return document.readyState") == "complete"
        except WebDriverException:
            return False

    def replaced(b) -> bool:
        try:
            return b.execute_script("return window.__docgenOldPage === undefined "
                                    "&& document.readyState === 'complete'")
        except WebDriverException:  # navigation under way
            return False

    WebDriverWait(browser, 30).until(settled)
    for attempt in range(5):
        try:
            browser.execute_script("window.__docgenOldPage = true")
            browser.find_element(by, value).click()
            break
        except StaleElementReferenceException:
            pass
        except WebDriverException:
            if attempt == 4:
                raise
        time.sleep(0.3)
    WebDriverWait(browser, 30).until(replaced)


def shot(browser, name: str) -> Path:
    path = browser.shots / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


def log_in(browser, url: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{url}/")
    assert "/login" in browser.current_url
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    shot(browser, f"login-{name}")
    click_and_wait(browser, By.ID, "login")
    assert browser.current_url == f"{url}/"


def search(browser, words: str) -> list[str]:
    from selenium.webdriver.common.by import By

    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys(words)
    click_and_wait(browser, By.ID, "search")
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".hit .subject")]


def test_a_reader_logs_in_searches_opens_a_document_and_downloads_its_pdf(server, browser):
    from selenium.webdriver.common.by import By

    log_in(browser, server, "donvi")
    found = search(browser, "kiem tra noi bo")
    shot(browser, "search-no-marks")
    assert found == ["Kế hoạch kiểm tra nội bộ trường học"], browser.page_source[-3000:]
    marks = [m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".hit mark")]
    assert "kiểm" in marks
    assert search(browser, "kiểm tra nội bộ") == ["Kế hoạch kiểm tra nội bộ trường học"]
    shot(browser, "search")
    assert "mật" not in " ".join(search(browser, "ke hoach")).lower()  # the secret plan is not there
    assert browser.find_element(By.ID, "total").text.startswith("2 văn bản")
    search(browser, "kiem tra")
    click_and_wait(browser, By.CSS_SELECTOR, ".hit a.number")
    assert browser.find_element(By.ID, "number-symbol").text == "02/KH-SGD&ĐT"
    shot(browser, "document")
    browser.find_element(By.ID, "download-pdf").click()
    for _ in range(300):
        done = [p for p in browser.downloads.iterdir() if p.suffix == ".pdf"]
        if done:
            break
        time.sleep(0.1)
    assert done and done[0].read_bytes().startswith(b"%PDF")


def test_a_reader_sees_neither_the_issue_page_nor_a_secret_document(server, browser):
    from selenium.webdriver.common.by import By

    log_in(browser, server, "donvi")
    assert not browser.find_elements(By.LINK_TEXT, "Ban hành")
    browser.get(f"{server}/issue")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không có quyền"
    shot(browser, "issue-refused")
    browser.get(f"{server}/documents/2")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không tìm thấy"
    assert "mật" not in browser.page_source.lower().replace("mật khẩu", "")


def test_a_clerk_fills_the_generated_form_with_rows_previews_and_issues(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    log_in(browser, server, "vanthu")
    click_and_wait(browser, By.LINK_TEXT, "Ban hành")
    Select(browser.find_element(By.ID, "kind")).select_by_value("ke_hoach")
    click_and_wait(browser, By.ID, "example")
    assert "I. MỤC ĐÍCH, YÊU CẦU" in browser.find_element(By.ID, "markup-rules").text
    shot(browser, "issue-example-with-markup-rules")
    Select(browser.find_element(By.ID, "kind")).select_by_value("quyet_dinh_khen_thuong")
    click_and_wait(browser, By.ID, "choose")
    form = {"subject": "Về việc tặng Giấy khen cho giáo viên dạy giỏi cấp tỉnh",
            "proposal": "Chánh Văn phòng Sở", "award": "Giấy khen của Giám đốc Sở Giáo dục và Đào tạo",
            "achievement": "đã đạt giải Nhất Hội thi giáo viên dạy giỏi cấp tỉnh", "bases": "Căn cứ Luật Thi đua, "
            "khen thưởng ngày 15 tháng 6 năm 2022", "executors": "Chánh Văn phòng Sở và các cá nhân có tên tại Điều 1",
            "recipients": "Như Điều 3", "date": "2025-04-02"}
    for name, value in form.items():
        browser.find_element(By.NAME, name).send_keys(value)
    Select(browser.find_element(By.NAME, "signer")).select_by_value("giam_doc")
    Select(browser.find_element(By.NAME, "drafting_unit")).select_by_value("VP")
    click_and_wait(browser, By.ID, "add-rows-nominees")  # one row, and three more
    assert len(browser.find_elements(By.CSS_SELECTOR, "#rows-nominees tbody tr")) == 4
    for n, (name, unit) in enumerate([("Lục Thị Mai", "Trường THPT Hòa An"), ("Bế Văn Tùng", "Trường THCS Hợp Giang")], 1):
        Select(browser.find_element(By.NAME, f"nominees[{n}].type")).select_by_value("individual")
        browser.find_element(By.NAME, f"nominees[{n}].name").send_keys(name)
        browser.find_element(By.NAME, f"nominees[{n}].unit").send_keys(unit)
    browser.find_element(By.NAME, "subject").clear()  # forgotten: the message is beside the field
    click_and_wait(browser, By.ID, "preview")
    message = browser.find_element(By.CSS_SELECTOR, '.field-error[data-field="subject"]').text
    assert message == "field 'subject' (Trích yếu nội dung): required, missing"
    assert browser.find_element(By.NAME, "nominees[2].name").get_attribute("value") == "Bế Văn Tùng"
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "rows-nominees"))
    shot(browser, "issue-rows")
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.NAME, "subject"))
    shot(browser, "issue-field-error")
    browser.find_element(By.NAME, "subject").send_keys(form["subject"])
    click_and_wait(browser, By.ID, "preview")
    result = browser.find_element(By.ID, "preview-result").text
    assert form["subject"] in result and "03/QĐ-SGD&ĐT" in result, result
    assert browser.find_elements(By.ID, "conforms") or browser.find_elements(By.ID, "findings")
    assert browser.find_element(By.ID, "draft-pdf").get_attribute("href").endswith(".pdf")
    shot(browser, "issue-preview")
    click_and_wait(browser, By.ID, "issue")
    assert browser.find_element(By.ID, "number-symbol").text == "03/QĐ-SGD&ĐT"
    assert form["subject"] in browser.find_element(By.CSS_SELECTOR, ".subject").text
    shot(browser, "issued")


def test_the_search_page_on_a_phone(server, browser):
    from selenium.webdriver.common.by import By

    log_in(browser, server, "donvi")
    browser.set_window_size(390, 844)
    try:
        search(browser, "ke hoach")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth")  # nothing wider than the phone
        assert "Kế hoạch (2)" in browser.find_element(By.NAME, "kind").text
        assert browser.find_element(By.ID, "facet-kind").text == "Loại: Kế hoạch (2)"
        assert browser.find_element(By.ID, "facet-status").text == "Tình trạng: Đang có hiệu lực (2)"
        box = browser.find_element(By.ID, "q").rect
        assert box["width"] > 250  # the search box takes the phone's width
        shot(browser, "search-phone")
    finally:
        browser.set_window_size(1100, 900)


def test_an_admin_adds_a_user_on_the_users_page(server, browser):
    from selenium.webdriver.common.by import By

    log_in(browser, server, "admin")
    click_and_wait(browser, By.LINK_TEXT, "Người dùng")
    browser.find_element(By.ID, "new-name").send_keys("truonghoc")
    browser.find_element(By.NAME, "password").send_keys("mật khẩu trường học")
    click_and_wait(browser, By.ID, "add-user")
    assert browser.find_element(By.ID, "message").text == "Đã thêm người dùng truonghoc"
    assert "truonghoc" in browser.find_element(By.CSS_SELECTOR, "table.users").text
    shot(browser, "users")


def downloaded(browser, suffix: str) -> Path:
    for _ in range(300):
        done = [p for p in browser.downloads.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded: {list(browser.downloads.iterdir())}")


def test_a_drafter_builds_a_dossier_and_downloads_its_zip(server, browser, tmp_path):
    import zipfile

    from selenium.webdriver.common.by import By

    from .test_web_pages import write_dossier_files

    campaign, sheet, rows = write_dossier_files(tmp_path)
    log_in(browser, server, "soanthao")
    assert not browser.find_elements(By.LINK_TEXT, "Sổ văn bản")  # a clerk's page
    click_and_wait(browser, By.LINK_TEXT, "Hồ sơ khen thưởng")
    browser.find_element(By.ID, "campaign").send_keys(str(campaign))
    browser.find_element(By.ID, "nominees").send_keys(str(sheet))
    click_and_wait(browser, By.ID, "build")
    assert browser.find_element(By.ID, "accepted-count").text == "03 cá nhân"
    assert rows[3][1] in browser.find_element(By.ID, "rejected").text
    shot(browser, "dossier")
    browser.find_element(By.ID, "download").click()
    with zipfile.ZipFile(downloaded(browser, ".zip")) as package:
        assert "manifest.json" in package.namelist() and "pdf/02-to-trinh.pdf" in package.namelist()


def test_a_clerk_sees_the_register_checks_a_draft_and_imports_a_letter(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    from .test_web_pages import TEXT

    log_in(browser, server, "vanthu")
    click_and_wait(browser, By.LINK_TEXT, "Sổ văn bản")
    assert "Kế hoạch kiểm tra nội bộ trường học" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "register")
    click_and_wait(browser, By.LINK_TEXT, "Kiểm tra thể thức")
    browser.find_element(By.ID, "file").send_keys(str(draft_with_narrow_margin(tmp_path)))
    click_and_wait(browser, By.ID, "check")
    assert "điểm chưa đúng thể thức" in browser.find_element(By.ID, "count").text
    shot(browser, "check")
    click_and_wait(browser, By.LINK_TEXT, "Nhập văn bản")
    letter = tmp_path / "cong-van-1143.txt"
    letter.write_text(TEXT.replace("1140", "1143"), encoding="utf-8")
    browser.find_element(By.ID, "files").send_keys(str(letter))
    click_and_wait(browser, By.ID, "import")
    assert "1143/UBND-VX" in browser.find_element(By.ID, "imported").text
    shot(browser, "import")
    browser.get(f"{server}/documents/3")
    preview = browser.find_element(By.ID, "preview")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", preview) > 100
    shot(browser, "document-preview")


def draft_with_narrow_margin(folder: Path) -> Path:
    import docx

    import docgen

    document = docx.Document(docgen.render("ke_hoach", ROOT / "examples" / "ke_hoach.yaml").save(folder / "a.docx"))
    document.sections[0].left_margin = 100_000
    document.save(folder / "le-hep.docx")
    return folder / "le-hep.docx"
