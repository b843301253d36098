"""The narration as speech: spoken forms of lines, and the offline voice that says them.

Between the numbers and the pictures: it reads what the numbers are and never
draws, so scenes (viz) and the pipeline can both ask how long a line lasts.
"""
