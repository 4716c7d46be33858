"""Pillow drawing shared by every overlay kind, the title card and caption previews.

[.sprite][] holds the cropped RGBA [Sprite][evidence_annotate.drawing.sprite.Sprite] every
drawn kind produces; [.text][] the text style, layout and label tags; [.caption][]
the Pillow caption preview. Nothing here knows any overlay kind.
"""
