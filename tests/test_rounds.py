"""The state of each participant over the rounds of collection, from journals and verdicts."""

from __future__ import annotations

import datetime as dt

import pytest

from kc_workbook.journal import MailRecord
from kc_workbook.rounds import participant_round
from kc_workbook.vocabulary import ACCEPTED, MISSING, ROUND_STATE, WITH_ERRORS, WITH_WARNINGS

T = [dt.datetime(2026, 2, d, 9) for d in range(1, 10)]


@pytest.mark.parametrize("record, verdict, sha, state, number", [
    (None, MISSING, None, "not_sent", 1),
    (MailRecord(T[0]), MISSING, None, "sent", 1),
    (MailRecord(T[0], T[1], [(T[1], "a", "a.xlsx")]), WITH_ERRORS, "a", "received", 1),
    (MailRecord(T[0], T[1], [(T[1], "a", "a.xlsx")]), ACCEPTED, "a", "accepted", 1),
    (MailRecord(T[0], T[1], [(T[1], "a", "a.xlsx")]), WITH_WARNINGS, "a", "accepted", 1),
    # returned with remarks: the workbook in use is the one returned
    (MailRecord(T[0], T[1], [(T[1], "a", "a.xlsx")], [(T[2], "a")]), WITH_ERRORS, "a", "returned", 2),
    # a newer answer replaces it
    (MailRecord(T[0], T[3], [(T[1], "a", "a.xlsx"), (T[3], "b", "b.xlsx")], [(T[2], "a")]), WITH_ERRORS, "b",
     "resubmitted", 2),
    (MailRecord(T[0], T[3], [(T[1], "a", "a.xlsx"), (T[3], "b", "b.xlsx")], [(T[2], "a")]), ACCEPTED, "b",
     "accepted", 2),
    # status without an inbox: by the journal's dates only
    (MailRecord(T[0], T[1], [(T[1], "a", "a.xlsx")]), None, None, "received", 1),
    (MailRecord(T[0], T[1], [(T[1], "a", "a.xlsx")], [(T[2], "a")]), None, None, "returned", 2),
    (MailRecord(T[0], T[3], [(T[1], "a", "a.xlsx"), (T[3], "b", "b.xlsx")], [(T[2], "a")]), None, None,
     "resubmitted", 2),
])
def test_each_state_from_the_journals_and_the_verdict(record, verdict, sha, state, number):
    result = participant_round(record, verdict, sha)
    assert (result.state, result.number) == (state, number)
    assert result.label == ROUND_STATE.label(state)


def test_the_answer_date_is_that_of_the_workbook_in_use():
    record = MailRecord(T[0], T[3], [(T[1], "a", "a.xlsx"), (T[3], "b", "b.xlsx")])
    assert participant_round(record, WITH_ERRORS, "a").answered_at == T[1]
    assert participant_round(record, WITH_ERRORS, "b").answered_at == T[3]


def test_a_record_unpacks_as_sent_and_answered():
    sent, answered = MailRecord(T[0], T[1], [(T[1], "a", "a.xlsx")])
    assert (sent, answered) == (T[0], T[1])
