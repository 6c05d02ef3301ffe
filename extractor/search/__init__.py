"""Three ways to make a regular expression search faster and find exactly the same matches.

- `casefold` (`fold`, `compile_folded`): for a case-insensitive pattern. It searches a
  lower-cased copy of the text, same length and offsets, without `re.IGNORECASE` (3x slower).
  A rule uses it for any case-insensitive pattern with only ASCII letters.
- `word_start`: for a pattern that opens with `\\b` and alternatives (`\\b(?:arms?|groups?)`). It
  moves the word boundary after the first character, so `re` can skip ahead to where a match can
  start. A rule uses it for a pattern searched over a whole abstract or every sentence.
- `prefilter` (`can_match`): for a pattern that rarely matches. A few substring tests for the
  literals every match needs answer "no match" without running the search. A rule uses it
  before searching a whole text with a pattern that most texts cannot match. The literals are read
  from `re`'s private parser; where that is missing or not the one it knows, no prefilter (the
  same matches, slower).
"""
