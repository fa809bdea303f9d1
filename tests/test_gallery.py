"""ae.analysis.gallery: the URL readers (an int in a range, n floats, n ints, or None)."""

from ae.analysis import gallery


def test_url_readers():
    assert gallery.parse_int("12", 0, 20) == 12 and gallery.parse_int(" 3 ", 0, 5) == 3
    for bad in (None, "", "x", "1.5", "21", "-1"):
        assert gallery.parse_int(bad, 0, 20) is None
    assert gallery.parse_floats("1.5,-2", 2) == [1.5, -2.0]
    for bad in (None, "1", "1,2,3", "a,b", "nan,1", "inf,0"):
        assert gallery.parse_floats(bad, 2) is None
    assert gallery.parse_ints("1,0,7,0", 4) == [1, 0, 7, 0]
    for bad in (None, "1,0,7", "1,0,7,x", "1.5,0,7,0"):
        assert gallery.parse_ints(bad, 4) is None
