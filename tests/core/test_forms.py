from django import forms


class ContactForm(forms.Form):
    name = forms.CharField(label="Họ và tên")
    topic = forms.ChoiceField(
        label="Lĩnh vực", choices=[("a", "Đoàn"), ("b", "Hội")], widget=forms.RadioSelect
    )
    code = forms.CharField(label="Mã", widget=forms.TextInput(attrs={"aria-label": "Mã số thẻ"}))
    token = forms.CharField(label="Khóa", widget=forms.HiddenInput)


def test_every_form_s_control_is_named_by_its_label():
    form = ContactForm()

    assert 'aria-label="Họ và tên"' in str(form["name"])
    # Each radio button has a label of its own, and a control named already keeps its name.
    assert "aria-label" not in str(form["topic"])
    assert 'aria-label="Mã số thẻ"' in str(form["code"])
    assert "aria-label" not in str(form["token"])
