"""Pillow drawing shared by every overlay kind, the title card and caption previews.

:mod:`.sprite` holds the cropped RGBA :class:`~evidence_annotate.drawing.sprite.Sprite` every
drawn kind produces; :mod:`.text` the text style, layout and label tags; :mod:`.caption`
the Pillow caption preview. Nothing here knows any overlay kind.
"""
