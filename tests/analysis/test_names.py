"""The names code mentions, and those it reads with their autograd graph."""

import libcst as cst
import pytest

from torchup.analysis.names import names_in, names_read_with_graph


def test_names_are_variables_not_attributes_or_keywords():
    assert names_in(cst.parse_expression("f(self.hidden, Variable=x)[i]")) == {"f", "self", "x", "i"}


@pytest.mark.parametrize(
    "code, names",
    [
        pytest.param("Variable(x.data) + y", {"Variable", "y"}, id="variable-of-data"),
        pytest.param("autograd.Variable(x.data) + y", {"autograd", "y"}, id="qualified-variable-of-data"),
        pytest.param("x.detach() + y", {"y"}, id="detach"),
        pytest.param("Variable(x.data, volatile=True)", {"Variable", "x", "True"}, id="another-argument"),
        pytest.param("Variable(f(x).data)", {"Variable", "f", "x"}, id="data-of-a-call"),
    ],
)
def test_a_value_read_through_a_detaching_step_is_no_graph_read(code, names):
    # 0.3's `Variable(x.data)` made a value that recorded nothing, however Variable was spelled
    assert names_read_with_graph(cst.parse_expression(code)) == names
