"""Matching offers to needs: which posts answer which (app/matching/ranking.py)."""
