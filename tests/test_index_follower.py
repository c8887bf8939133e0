"""The web service's index follower (index.follow.Follower): changes are applied by its thread as they
come, and a search meanwhile answers from the index without applying anything itself."""

from __future__ import annotations

import datetime as dt
import time

from archive import Archive, issue_document
from index import pending, position, search_archive
from index.follow import Follower

from .conftest import AGENCY
from .web_home import DATA


def test_the_follower_applies_an_issue_and_searches_do_not(tmp_path):
    home = tmp_path / "home"
    Archive.init(home, AGENCY).close()
    with Archive.open(home) as archive:
        issue_document(archive, "ke_hoach", {**DATA, "subject": "Kế hoạch hội khỏe Phù Đổng"},
                       date=dt.date(2025, 3, 1), pdf=False)
        with Follower(home) as follower:
            deadline = time.monotonic() + 30
            while not follower.keeping_up():
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert pending(archive) == 0 and search_archive(archive, "hoi khoe phu dong").total == 1
            with position.following(home / "index", wait=True):  # the follower is held up for a moment
                issued = issue_document(archive, "ke_hoach", {**DATA, "subject": "Kế hoạch hội thao giáo viên"},
                                        date=dt.date(2025, 3, 2), pdf=False)
                wanted = issued.record.number_symbol
                results = search_archive(archive, wanted)
                assert wanted not in [hit.number_symbol for hit in results.hits] and not results.notices
                assert pending(archive) == 1  # the search answered from the index as it stands
            while True:  # found once the follower applied it, never by the search
                results = search_archive(archive, wanted)
                if wanted in [hit.number_symbol for hit in results.hits]:
                    break
                assert time.monotonic() < deadline
                time.sleep(0.02)
            assert not results.notices
        issue_document(archive, "ke_hoach", {**DATA, "subject": "Kế hoạch hội giảng"}, date=dt.date(2025, 3, 3),
                       pdf=False)
        assert search_archive(archive, "hoi giang").total == 1  # no follower: the search applies it first
