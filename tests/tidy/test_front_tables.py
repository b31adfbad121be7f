"""The front part's tables read as printed: a cell no header column stands over is named."""

import pytest

from conftest import NAKANO, TESTS
from pipeline.errors import LayoutError
from pipeline.profiles import load_profile
from pipeline.read.text import text_to_document
from pipeline.records import Grid
from pipeline.tidy.front_tables import grid_to_indicator_table

ROLE_PROFILE = load_profile(TESTS / "profiles" / "ind_shapes.toml")

# Nakano's shape (実績/目標 over the years) and columns named by role (ind_shapes.toml),
# each with a value row one filled cell wider than its header.
WIDER_THAN_THE_HEADER = [
    (NAKANO, "指標項目\t実績\t目標\n"
             "\t令和5年度\t令和7年度\n"
             "電子申請の件数\t120件\t200件\t99\n"),
    (ROLE_PROFILE, "項目\t指標\t策定時\t前年度\t現状値\t目標値\n"
                   "\t\t(平成27年度)\t(令和元年度)\t(令和6年度)\t(令和8年度)\n"
                   "ア 行政手続のオンライン化\t学校のICT機器整備率\t50.0%\t97.0%\t98.2%\t100%\t99\n"),
]


@pytest.mark.parametrize("profile, table", WIDER_THAN_THE_HEADER, ids=["nakano", "by_role"])
def test_a_cell_right_of_the_indicator_header_is_named(profile, table):
    grid = next(block for block in text_to_document(table, "r.txt").blocks
                if isinstance(block, Grid))
    with pytest.raises(LayoutError) as error:
        grid_to_indicator_table(grid, None, "r.txt", profile)
    assert str(error.value) == ("r.txt: line 3, cannot place the cell '99': the indicator "
                                "table's header has no column above it.")
