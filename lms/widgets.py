from django import forms


class StoredImageInput(forms.ClearableFileInput):
    """An image upload that says an image is stored without naming its file: stored names are not for anyone to
    read. `url` shows the image where the site serves it (an institution's logo); signatures and stamps never."""

    template_name = "widgets/stored_image.html"

    def __init__(self, attrs=None, url=None):
        super().__init__({"accept": "image/png,image/jpeg", **(attrs or {})})
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = self.url(value) if self.url and value else ""
        return context
