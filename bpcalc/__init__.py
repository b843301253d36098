"""The bpcalc package."""
