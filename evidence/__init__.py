"""evidence: the command-line app. The only package that imports corpus, extractor and db together."""
