"""„Ankieta przypisująca sprawozdania”: the reporter's answers add or remove obligations."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ssoz.lib.errors import refusals_on
from ssoz.lib.http import safe_next
from ssoz.publications import assignment
from ssoz.publications.forms import RadioGroup

_ANSWERS = [("tak", gettext_lazy("Tak")), ("nie", gettext_lazy("Nie"))]


class AssignmentSurveyForm(forms.Form):
    """One yes-or-no question per programme entry that asks one."""

    def __init__(self, *args, questions: list[assignment.Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            publication = question.publication
            self.fields[question.field_name] = forms.ChoiceField(
                label=publication.assignment_question,
                help_text=_("Od odpowiedzi zależy obowiązek przekazania %(form)s za %(period)s.")
                % publication.title_params(),
                choices=_ANSWERS,
                widget=RadioGroup,
                initial=(
                    None if question.answer is None else ("tak" if question.answer.files else "nie")
                ),
                error_messages={
                    "required": _("Odpowiedz na to pytanie: zaznacz „Tak” albo „Nie”.")
                },
            )

    def answers(self) -> dict[int, bool]:
        return {
            question.publication.pk: self.cleaned_data[question.field_name] == "tak"
            for question in self.questions
        }


@require_http_methods(["GET", "POST"])
def assignment_survey(request: HttpRequest) -> HttpResponse:
    """The survey's questions for the reporter's entity; answered, back to where she was
    going (the page after log-in, by default)."""
    questions = assignment.assignment_survey(request.user)
    if request.method == "POST" and not questions:
        raise Http404  # nothing is asked of this entity: there is nothing to answer
    data = request.POST if request.method == "POST" else None
    form = AssignmentSurveyForm(data, questions=questions)
    context = {"form": form, "questions": questions, "next": safe_next(request)}
    if request.method == "POST":
        if form.is_valid():
            with refusals_on(form) as refused:
                changes = assignment.answer_assignment_survey(
                    actor=request.user, answers=form.answers()
                )
            if not refused:
                messages.success(
                    request,
                    " ".join([_("Dziękujemy, odpowiedzi zapisano."), *changes]),
                )
                return redirect(context["next"] or "portal:home")
            return render(
                request, "publications/assignment_survey.html", context, status=refused.status
            )
        return render(request, "publications/assignment_survey.html", context, status=400)
    return render(request, "publications/assignment_survey.html", context)
