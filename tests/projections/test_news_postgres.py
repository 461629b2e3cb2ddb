"""PostgreSQL news: one wake-up takes in all the news queued by then (every insert
NOTIFYs, and this process's commands also announce themselves)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg import sql

from projections.news import PostgresNews
from tests.conftest import PG_CONNINFO

pytestmark = pytest.mark.postgres


def test_one_wake_up_takes_in_every_queued_notification_and_announcement() -> None:
    channel = f"news_{uuid.uuid4().hex[:12]}"
    news = PostgresNews(PG_CONNINFO, channel, coalesce=0)
    try:
        news.wait(0)  # LISTENs from now on
        assert news.wakeups == 0  # nothing yet
        with psycopg.connect(PG_CONNINFO, autocommit=True) as conn:
            for _ in range(5):  # five commits, each NOTIFYing
                conn.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(channel)))
        # a round trip on the listening session: the notifications have arrived by its end
        news._listening().execute("SELECT 1")
        news.announce()
        news.wait(5)
        assert news.wakeups == 1
        news.wait(0.05)  # nothing left: a time-out, not a wake-up per notification
        news.wait(0.05)
        assert news.wakeups == 1
        news.announce()
        news.wait(5)
        assert news.wakeups == 2
    finally:
        news.close()


def test_news_soon_after_a_wake_up_waits_for_the_interval_to_gather_more() -> None:
    channel = f"news_{uuid.uuid4().hex[:12]}"
    news = PostgresNews(PG_CONNINFO, channel, coalesce=60)
    try:
        news.announce()
        news.wait(5)  # the first news wakes at once
        assert (news.wakeups, news.lingered) == (1, 0)
        news.coalesce = 0.01
        news.announce()
        news.wait(5)  # soon after: it waits out the rest of the interval
        assert (news.wakeups, news.lingered) == (2, 1)
    finally:
        news.close()
