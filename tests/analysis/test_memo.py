"""The last-call cache of the analyses a pass's codemods share."""

from torchup.analysis.memo import last_call


def test_the_last_call_is_cached_by_identity_and_replaced_by_the_next():
    calls = []

    @last_call
    def analyse(tree, *more):
        calls.append(tree)
        return len(calls)

    first, second = ["a"], ["a"]  # equal, not the same tree
    assert [analyse(first), analyse(first)] == [1, 1]
    assert [analyse(second), analyse(second)] == [2, 2]  # the next tree's analysis is kept in its turn
    assert analyse(first) == 3
    assert analyse(first, second) == 4  # other arguments: another call
    assert calls == [first, second, first, first]
