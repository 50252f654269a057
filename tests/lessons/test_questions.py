"""Check-your-understanding questions: well formed, one correct answer, feedback that explains."""

from collections import Counter

import pytest

from benchlearn.lessons.lesson1.content import OBJECTIVES
from benchlearn.lessons.lesson1.questions import QUESTIONS, feedback, questions_for


def test_question_ids_are_unique():
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_question_has_exactly_one_correct_choice_and_an_explanation(question):
    assert len(question.choices) >= 3
    assert len(set(question.choices)) == len(question.choices)
    assert 0 <= question.answer < len(question.choices)
    assert sum(c == question.correct_choice for c in question.choices) == 1
    assert len(question.explanation) > 40
    assert question.objective in OBJECTIVES


def test_choice_texts_are_unique_across_the_lesson_so_a_browser_can_find_each_radio():
    choices = [choice for q in QUESTIONS for choice in q.choices]
    assert len(set(choices)) == len(choices)


def test_every_objective_is_checked_by_at_least_three_questions():
    counts = Counter(q.objective for q in QUESTIONS)
    assert all(counts[objective] >= 3 for objective in OBJECTIVES)
    assert [q.objective for q in questions_for(2)] == [2] * counts[2]


def test_correct_answers_are_not_always_in_the_same_position():
    assert len({q.answer for q in QUESTIONS}) >= 3


def test_feedback_confirms_a_correct_choice_and_names_the_answer_after_a_wrong_one():
    question = QUESTIONS[0]
    assert feedback(question, None) == (None, "")
    correct, text = feedback(question, question.correct_choice)
    assert correct is True and text.startswith("Correct.") and question.explanation in text
    wrong_choice = next(c for c in question.choices if c != question.correct_choice)
    correct, text = feedback(question, wrong_choice)
    assert correct is False and text.startswith("Not quite:")
    assert question.correct_choice in text and question.explanation in text
