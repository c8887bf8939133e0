"""The throwaway PostgreSQL cluster the server-mode tests run on (tests/postgres.py)."""

import psycopg


def test_each_test_has_its_own_empty_database_over_a_unix_socket(postgres_url, postgres_cluster):
    with psycopg.connect(postgres_url) as db:
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
        assert db.execute("SHOW listen_addresses").fetchone()[0] == ""
        db.execute("CREATE TABLE t (x int)")
    assert postgres_cluster.create_database() != postgres_url
