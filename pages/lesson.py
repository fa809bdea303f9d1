"""Lesson: the article as a guided lesson for a class, about ten steps of one screen each.
Every step asks before it shows (predict, then reveal), then the model in play's measured
answer and one live figure; Back / Next keep the step in the URL (`?lesson=ae&step=3`).
The steps are in ae.ui.lesson, the questions and answers in ae.analysis.lesson."""

from ae.ui import header, lesson

inplay, ds = header("lesson")
lesson.render(inplay, ds)
