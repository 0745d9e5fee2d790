"""hubs/templatetags/hubs_charts.py: the charts' drawing, from the read layer's numbers."""

from django.template import Context, Template

from hubs.selectors import LabelCount
from hubs.templatetags.hubs_charts import HEIGHT, WIDTH, column_chart, stacked_bar


def counts(*numbers, labels=None) -> list[LabelCount]:
    busiest = max(numbers)
    labels = labels or [str(2020 + i) for i in range(len(numbers))]
    return [
        LabelCount(value=label, label=label, count=n, share=n / busiest)
        for label, n in zip(labels, numbers, strict=True)
    ]


def test_columns_are_as_tall_as_their_share_and_stand_on_the_axis():
    chart = column_chart(counts(2, 0, 4), title="Citing papers per year", chart_id="t")
    columns = chart["columns"]
    assert [c.count for c in columns] == [2, 0, 4]
    assert columns[2].height == 2 * columns[0].height
    assert columns[1].height == 0
    for column in columns:
        assert column.y + column.height == chart["axis"]
        assert column.x >= 0 and column.x + column.width <= WIDTH
    assert chart["axis"] < HEIGHT


def test_labels_thin_out_and_stay_inside_the_drawing():
    months = [f"Month {n:02d}" for n in range(24)]
    columns = column_chart(counts(*range(1, 25), labels=months), title="per month", chart_id="m")[
        "columns"
    ]
    named = [c for c in columns if c.named]
    assert columns[0].named and 2 <= len(named) < 12
    for column in named:
        half = len(column.label) * 3.1
        assert half <= column.label_x <= WIDTH - half


def test_the_chart_is_an_image_with_its_numbers_for_screen_readers():
    html = Template(
        "{% load hubs_charts %}{% column_chart periods title='Citing papers per year' "
        "chart_id='years' %}"
    ).render(Context({"periods": counts(3, 5)}))
    assert 'role="img"' in html
    assert 'aria-labelledby="years-title years-desc"' in html
    assert '<title id="years-title">Citing papers per year</title>' in html
    assert "2020: 3; 2021: 5" in html


def test_a_stacked_bar_lays_its_parts_end_to_end_at_its_scale():
    parts = [
        LabelCount(value="supporting", label="supporting", count=1, share=0.25),
        LabelCount(value="neutral", label="neutral", count=0, share=0.0),
        LabelCount(value="contrasting", label="contrasting", count=3, share=0.75),
    ]
    segments = stacked_bar(parts, scale=0.5)["segments"]
    assert [(s.value, s.x, s.width) for s in segments] == [
        ("supporting", 0, 12.5),
        ("contrasting", 12.5, 37.5),
    ]
