"""Text from data is shown as written: no link, image, colour or emoji out of a name."""

from text.escaping import markdown_text


def test_markdown_punctuation_is_escaped():
    assert markdown_text("[点我](http://x.example/a.png)") == r"\[点我\]\(http\:\/\/x\.example\/a\.png\)"
    assert markdown_text(":red[县人社局]") == r"\:red\[县人社局\]"
    assert markdown_text("**粗体** <b>") == r"\*\*粗体\*\* \<b\>"


def test_plain_chinese_is_unchanged_and_lines_join():
    assert markdown_text("甲镇 · 劳动社保　4 件") == "甲镇 · 劳动社保　4 件"
    assert markdown_text("第一行\n第二行") == "第一行 第二行"
    assert markdown_text(None) == ""
