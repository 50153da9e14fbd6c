"""Partnerships: standing agreements of two or more network members for a shared purpose."""
