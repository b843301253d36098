"""The core: numpy only. The digits network and the chain, their training, and every
forward and backward value a story needs. Never imports numbers, viz, pipeline or manim."""
