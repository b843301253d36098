"""bpcalc render: discovery, fingerprints, parallel renders, media and the gallery."""
