"""賦課 (assessment): the premiums the union assessed, as received in 保険料情報, with their history, and
the instalment plans (期割) made from them.

Writes: services.premium_infos_store; planning (instalment_plan_create, instalment_plan_replan,
instalment_plans_initial_created). Reads across apps: selectors (assessment_in_force, assessments_of,
instalment_plan_in_force, replans_due). Import: importers.import_premium_info. Planning pieces:
planning_config (the city's rules, PlanningError), planning_inputs (inputs gathered in bulk, one plan),
planning_pool (forked bulk planning), plan_rows (rules ↔ rows). Notices: notice_data, notice_breakdown,
notice_lines, notice_batch (PDFs). A re-plan together with the ledger: kouki.collection.replanning.
"""
