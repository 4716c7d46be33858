"""Editing plans: a plan as fluent calls, as recipe text, and as the editor's JSON document.

The studio page, the notebook widget (``ev.edit()``) and the recipe writer share this
package: [calls][evidence_annotate.editing.calls] turns each layer back into its kind's
``create`` keywords (checked by calling ``create`` again),
[recipe_text][evidence_annotate.editing.recipe_text] writes them as TOML,
[document][evidence_annotate.editing.document] is the JSON a page edits and
[cues][evidence_annotate.editing.cues] corrects captions without losing their timing.

Example:
    >>> from evidence_annotate.overlays import Context
    >>> from evidence_annotate.plan import Plan
    >>> PlanEditor(Context((640, 360), 10.0)).document(Plan())
    {'title_card': None, 'layers': [], 'captions': None}
"""

from .calls import Call, layer_call, plan_calls, python_code
from .document import EditError, PlanEditor
from .recipe_text import recipe_text

__all__ = ["Call", "EditError", "PlanEditor", "layer_call", "plan_calls", "python_code",
           "recipe_text"]
