"""Layered, explainable spam scoring: admin rules, heuristics, a learned classifier, trust.

``assess(post, author)`` (forum.spam.verdict) is the one entry point; forum.moderation acts on
its verdict.
"""
