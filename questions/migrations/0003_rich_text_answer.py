# Answers become rich text (core.richtext): the plain-text answers written so far are
# turned into the HTML the public pages used to print with |linebreaks. The column is
# the same text column, so the field's class changes only in Django's state (SQLite
# would otherwise remake the table).
#
# The conversions are copied here, not imported, so that this migration keeps working
# whatever becomes of the app's code.

import html
import re

import core.richtext
from django.db import migrations

BLANK_LINES = re.compile(r"\n\s*\n")
WHITE_SPACE = re.compile(r"\s+")
LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)
IMAGE_ALT = re.compile(r'<img\b[^>]*?\balt="([^"]+)"[^>]*>')
LINE_BREAK = re.compile(r"<br\s*/?>")
LIST_ITEM = re.compile(r"<li\b[^>]*>")
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figure|figcaption|caption|tr|table)>|<hr\s*/?>")
TAG = re.compile(r"<[^>]*>")


def text_to_html(text):
    """Return plain text as HTML: escaped, paragraphs on blank lines, <br> on line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [paragraph.strip() for paragraph in BLANK_LINES.split(text)]
    return "\n\n".join(
        "<p>" + html.escape(paragraph, quote=False).replace("\n", "<br>") + "</p>"
        for paragraph in paragraphs
        if paragraph
    )


def html_to_text(markup):
    """Return sanitised HTML as plain text: blank lines between blocks, links with address."""

    def link(match):
        address, text = match.group(1), match.group(2)
        shown = re.sub(r"^(mailto|tel):", "", address)
        return text if shown == TAG.sub("", text).strip() else f"{text} ({shown})"

    text = WHITE_SPACE.sub(" ", markup)
    text = LINK.sub(link, text)
    text = IMAGE_ALT.sub(lambda match: f"[{match.group(1)}]", text)
    text = LINE_BREAK.sub("\n", text)
    text = LIST_ITEM.sub("- ", text)
    text = BLOCK_END.sub("\n\n", text)
    text = html.unescape(TAG.sub("", text)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def convert(apps, conversion):
    Question = apps.get_model("questions", "Question")
    for pk, answer in Question.objects.exclude(answer="").values_list("pk", "answer"):
        # An answer that would come out empty is kept as it was: an answered
        # question must have one.
        converted = conversion(answer) or answer
        if converted != answer:
            # update(), not save(): the rows are converted, not edited.
            Question.objects.filter(pk=pk).update(answer=converted)


def answers_to_html(apps, schema_editor):
    convert(apps, text_to_html)


def answers_to_text(apps, schema_editor):
    convert(apps, html_to_text)


class Migration(migrations.Migration):

    dependencies = [
        ('questions', '0002_default_topics'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='question',
                    name='answer',
                    field=core.richtext.RichTextField(blank=True, help_text='E-mailed to the asker as plain text, each link followed by its address.', verbose_name='answer'),
                ),
            ],
        ),
        migrations.RunPython(answers_to_html, answers_to_text),
    ]
