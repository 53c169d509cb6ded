"""Checks a contributor meets before review (examples, concept pages), and the example scaffold."""
