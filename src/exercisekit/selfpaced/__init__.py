"""« Mon espace » in a live kernel: progress, the reflective journal and the before/after
self-assessment as ipywidgets, their state kept in a local JSON file (`state`) that the live
exercises also write (answers, scenario paths, reflections). The static site does the same in the
browser (`render/assets/exercisekit.js`); both read the same data (bank, `course/competences.yaml`).

    from exercisekit.selfpaced import journal, progress, self_assessment
    progress.show()           # done / total per module, and where to resume
    journal.show()            # every reflection prompt, by module, saved as you type
    self_assessment.show()    # rate the competencies before and after; matplotlib chart
"""
