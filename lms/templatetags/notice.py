from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def notice_html(text):
    """The privacy notice's plain text as HTML: "# " lines are headings, "- " lines lists, the rest paragraphs
    (a blank line between them). Everything typed is escaped: administrators write text, not markup."""
    blocks, paragraph, items = [], [], []

    def close():
        if paragraph:
            blocks.append(format_html("<p>{}</p>", " ".join(paragraph)))
        if items:
            blocks.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items))))
        paragraph.clear()
        items.clear()

    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith("# "):
            close()
            blocks.append(format_html("<h2>{}</h2>", line[2:].strip()))
        elif line.startswith("- "):
            if paragraph:
                close()
            items.append(line[2:].strip())
        elif line:
            if items:
                close()
            paragraph.append(line)
        else:
            close()
    close()
    return mark_safe("\n".join(blocks))  # each block was built escaped
