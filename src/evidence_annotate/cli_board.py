"""``evidence-annotate render`` for clip and storyboard recipes, with the command line's overrides.

A recipe with ``[[segment]]`` tables is a storyboard
([BoardRecipe][evidence_annotate.recipe.board.BoardRecipe]); any other is a clip recipe
([Recipe][evidence_annotate.recipe.Recipe]).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .narration import recipe_model, with_captions
from .recipe import Recipe, RecipeError, load_recipe
from .recipe.board import BoardRecipe, is_board, load_board_recipe

__all__ = ["load_for_render"]


def load_for_render(path: str, *, output: str | None, platform: str | None,
                    captions: str | None) -> tuple[Recipe | BoardRecipe, str | None]:
    """The recipe at ``path`` with ``-o``, ``--platform`` and ``--captions`` applied.

    Returns:
        The recipe to run, and the speech model its ``[transcribe]`` resolves to (if any).

    Raises:
        RecipeError: A bad recipe, or ``--captions`` with a storyboard recipe.
    """
    from .recipe import _read

    recipe: Recipe | BoardRecipe
    recipe = load_board_recipe(path) if is_board(_read(path)) else load_recipe(path)
    if output is not None:
        recipe = replace(recipe, output=Path(output))
    if platform is not None:
        recipe = replace(recipe, platform=platform)
    if isinstance(recipe, BoardRecipe):
        if captions is not None:
            raise RecipeError("--captions", "a storyboard recipe takes captions per segment "
                                            "([segment.captions] source = \"...\")")
        return recipe, None
    if captions is not None:
        recipe = with_captions(recipe, captions)
    return recipe, recipe_model(recipe)


