"""賦課 (assessment): the premiums the union assessed, as received in 保険料情報, with their history.

Writes: kouki.assessment.services.premium_infos_store. Reads across apps: kouki.assessment.selectors
(assessment_in_force, assessments_of). Import: kouki.assessment.importers.import_premium_info.
"""
