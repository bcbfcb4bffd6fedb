"""Feature code shipped with the model through ``code_path``."""

import re

_WORD = re.compile(r"[a-z']+")


def tokenize(text):
    return _WORD.findall(text.lower())


def keyword_score(text, keywords):
    tokens = tokenize(text)
    if not tokens:
        return 0.0
    return sum(token in keywords for token in tokens) / len(tokens)
