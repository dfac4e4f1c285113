"""The page readers of tests/pages.py, on small pieces of HTML."""

from __future__ import annotations

import pytest

from tests.pages import (
    addresses,
    field_error,
    headings,
    labels,
    links,
    list_items,
    main_words,
    messages,
    options,
    selected,
    table,
    value,
    words,
)

PAGE = """<!doctype html><html><head><title>Notices</title><script>var hidden = "not text";</script></head>
<body><nav><a href="/">Home</a> <a href="/notices/" aria-current="page">Notices</a></nav>
<main id="main">
  <div role="status"><div class="alert">Saved &amp; shared.</div><div>Second   message.</div></div>
  <h1>Notices <small>5+</small></h1>
  <div role="alert"><p>Check the form.</p></div>
  <form>
    <label for="id_title">Title</label>
    <input type="text" name="title" id="id_title" aria-describedby="id_title-error id_title_helptext">
    <div id="id_title-error">This field is required. </div>
    <div id="id_title_helptext">A short title.</div>
    <label for="id_owner">Owner <span>(optional)</span></label>
    <select name="owner" id="id_owner">
      <option value="">---</option><option value="7" selected>UNODC</option></select>
    <fieldset><legend>Working Groups</legend><select name="groups" multiple>
      <option value="1">WG 1</option><option value="2" selected>WG 2</option></select></fieldset>
    <label for="id_summary">Summary (optional)</label>
    <input type="text" name="summary" id="id_summary" value="Short" aria-describedby="id_summary_helptext">
    <fieldset><legend>On</legend><input type="checkbox" name="days" value="MO">
      <input type="checkbox" name="days" value="WE" checked></fieldset>
    <div id="id_summary_helptext">Optional.</div>
  </form>
  <ul><li>Kamau Kenya</li><li>Ana <b>Unodc</b></li></ul>
  <table><caption>Events in March 2027</caption><tr><td>Workshop</td></tr></table>
</main><footer>Open source.</footer></body></html>"""


def test_words_are_the_visible_text_with_tags_and_spacing_removed():
    text = words(PAGE)
    assert "Saved & shared. Second message." in text
    assert text.endswith("Open source.")
    assert "not text" not in text


def test_main_words_leave_out_the_navigation_and_the_footer():
    text = main_words(PAGE)
    assert text.startswith("Saved & shared.")
    assert "Home" not in text
    assert "Open source." not in text
    assert main_words("<p>No main region</p>") == ""


def test_messages_are_each_status_message_and_each_alert_in_page_order():
    assert messages(PAGE) == ["Saved & shared.", "Second message.", "Check the form."]
    assert messages("<main><h1>Quiet</h1></main>") == []


def test_a_field_error_is_the_text_the_field_is_described_by():
    assert field_error(PAGE, "title") == "This field is required."


def test_a_field_without_an_error_or_no_such_field_has_no_error_text():
    # the help text the summary is described by is no error
    assert field_error(PAGE, "summary") == ""
    assert field_error(PAGE, "owner") == ""
    assert field_error(PAGE, "nothing") == ""


def test_links_headings_items_and_labels_are_read_by_their_role():
    assert ("Notices", "/notices/") in links(PAGE)
    assert addresses(PAGE) == ["/", "/notices/"]
    assert headings(PAGE) == ["Notices 5+"]
    assert headings(PAGE, 2) == []
    assert list_items(PAGE) == ["Kamau Kenya", "Ana Unodc"]
    assert labels(PAGE) == ["Title", "Owner (optional)", "Working Groups", "Summary (optional)", "On"]


def test_the_options_of_a_select_are_found_by_its_label_or_legend():
    assert options(PAGE, "Owner (optional)") == {"": "---", "7": "UNODC"}
    assert selected(PAGE, "Owner (optional)") == ["7"]
    assert selected(PAGE, "Working Groups") == ["2"]


def test_the_ticked_boxes_and_an_input_value_are_found_by_the_label():
    assert selected(PAGE, "On") == ["WE"]
    assert value(PAGE, "Title") == ""
    assert value(PAGE, "Summary (optional)") == "Short"


def test_a_table_is_found_by_its_caption():
    assert table(PAGE, "Events in").text() == "Events in March 2027 Workshop"
    with pytest.raises(AssertionError, match="no table captioned 'Members'"):
        table(PAGE, "Members")


def test_a_label_no_control_has_is_an_error():
    with pytest.raises(AssertionError, match="no control labelled 'Colour'"):
        options(PAGE, "Colour")
