"""« Mon espace » in a live kernel: the reflective journal and the before/after self-assessment as
ipywidgets, their state kept in a local JSON file (`state`). The static site does the same in the
browser (`static/exercisekit.js`); both read the same data (bank, `course/competences.yaml`).

    from exercisekit.selfpaced import journal, self_assessment
    journal.show()            # every reflection prompt, by module, saved as you type
    self_assessment.show()    # rate the 16 competencies before and after; matplotlib chart
"""
