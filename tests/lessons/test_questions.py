"""Check-your-understanding questions: feedback for every wrong choice, a retry, a score."""

from collections import Counter

import pytest

from benchlearn.lessons.lesson1.content import OBJECTIVES
from benchlearn.lessons.lesson1.questions import (
    QUESTIONS,
    QUESTIONS_BY_ID,
    TRIES,
    feedback,
    questions_for,
    record_pick,
    record_picks,
    score,
)


def test_question_ids_are_unique():
    assert len(QUESTIONS_BY_ID) == len(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_question_has_exactly_one_correct_choice_and_an_explanation(question):
    assert len(question.choices) >= 3
    assert len(set(question.choices)) == len(question.choices)
    assert 0 <= question.answer < len(question.choices)
    assert sum(c == question.correct_choice for c in question.choices) == 1
    assert len(question.explanation) > 40
    assert question.objective in OBJECTIVES


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_wrong_choice_has_its_own_feedback_and_the_right_one_none(question):
    wrong = [c for c in question.choices if c != question.correct_choice]
    assert set(question.misconceptions) == set(wrong)
    texts = list(question.misconceptions.values())
    assert len(set(texts)) == len(texts)  # one misconception per choice, not one for all
    assert all(len(text) > 30 for text in texts)


def test_choice_texts_are_unique_across_the_lesson_so_a_browser_can_find_each_radio():
    choices = [choice for q in QUESTIONS for choice in q.choices]
    assert len(set(choices)) == len(choices)


def test_every_objective_is_checked_by_at_least_four_questions():
    counts = Counter(q.objective for q in QUESTIONS)
    assert all(counts[objective] >= 4 for objective in OBJECTIVES)
    assert [q.objective for q in questions_for(2)] == [2] * counts[2]


def test_objective_3_covers_the_whole_regression():
    topics = {
        "parameters in lab units": "slope_in_lab_units",
        "loss": "mse_definition",
        "exact vs gradient descent": "exact_vs_gradient_descent",
        "learning rate": "learning_rate_too_large",
        "train/test split": "test_score_to_trust",
        "R² and RMSE": "rmse_meaning",
        "what a good R² is": "good_r2_depends",
        "residuals": "residual_pattern",
        "cross-validation": "cross_validation_spread",
        "over-fitting": "overfitting_sign",
    }
    assert {QUESTIONS_BY_ID[qid].objective for qid in topics.values()} == {3}


def test_correct_answers_are_not_always_in_the_same_position():
    positions = Counter(q.answer for q in QUESTIONS)
    assert len(positions) >= 3 and max(positions.values()) <= len(QUESTIONS) / 2


def test_a_wrong_pick_shows_its_misconception_and_keeps_the_answer_hidden():
    question = QUESTIONS_BY_ID["slope_in_lab_units"]
    wrong = [c for c in question.choices if c != question.correct_choice]
    assert feedback(question, ()) is None
    first = feedback(question, (wrong[0],))
    assert not first.correct and not first.revealed
    assert first.text.startswith("Not quite:")
    assert question.misconceptions[wrong[0]] in first.text and "Try another answer" in first.text
    assert question.correct_choice not in first.text and question.explanation not in first.text


def test_the_answer_is_revealed_after_the_last_wrong_try_or_a_right_pick():
    question = QUESTIONS_BY_ID["slope_in_lab_units"]
    wrong = [c for c in question.choices if c != question.correct_choice]
    assert TRIES == 2
    second = feedback(question, tuple(wrong[:2]))
    assert not second.correct and second.revealed
    assert question.misconceptions[wrong[1]] in second.text
    assert question.correct_choice in second.text and question.explanation in second.text
    right = feedback(question, (wrong[0], question.correct_choice))
    assert right.correct and right.revealed
    assert right.text == f"Correct. {question.explanation}"


def test_picking_the_same_wrong_answer_again_is_not_a_second_try():
    question = QUESTIONS_BY_ID["mse_definition"]
    wrong = next(c for c in question.choices if c != question.correct_choice)
    tried = record_pick(record_pick((), wrong), wrong)
    assert tried == (wrong,)
    assert not feedback(question, tried).revealed
    assert record_pick(tried, None) == tried


def test_record_picks_follows_every_radio_group_at_once():
    a, b = questions_for(1)[:2]
    picks = record_picks({}, {a.id: a.choices[0], b.id: None})
    picks = record_picks(picks, {a.id: a.choices[1], b.id: b.choices[2]})
    assert picks == {a.id: (a.choices[0], a.choices[1]), b.id: (b.choices[2],)}


def test_score_counts_the_questions_right_at_the_first_try():
    first, second, third, *_ = questions_for(1)
    wrong = next(c for c in second.choices if c != second.correct_choice)
    picks = {
        first.id: (first.correct_choice,),
        second.id: (wrong, second.correct_choice),  # right, but at the second try
        third.id: (),
    }
    assert score(1, picks) == (1, 2, len(questions_for(1)))
    assert score(2, picks) == (0, 0, len(questions_for(2)))


@pytest.mark.parametrize("objective", list(OBJECTIVES))
def test_an_objectives_questions_share_out_over_its_slides_in_order(objective):
    from benchlearn.lessons.lesson1.questions import QUESTIONS_PER_SLIDE, on_slide, slide_count

    slides = [on_slide(objective, n) for n in range(slide_count(objective))]
    assert [q for slide in slides for q in slide] == questions_for(objective)
    sizes = [len(slide) for slide in slides]
    assert max(sizes) <= QUESTIONS_PER_SLIDE and max(sizes) - min(sizes) <= 1
    with pytest.raises(IndexError, match="slides of questions"):
        on_slide(objective, slide_count(objective))
