"""Spaced review of passed exercises with FSRS: the schedule, its services and selectors.

``schedule`` is the FSRS side (no database): the scheduler, how a review's outcome becomes
a rating, and how much of an exercise is still remembered. ``services`` write cards and
reviews; ``selectors`` read the queue and each exercise's recall for mastery.
"""
