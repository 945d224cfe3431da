exec(open('abl4.py').read().split('for name, cols')[0])
i = records.index('FROM (SELECT toFloat64(`timestamp`) AS pdb_ts')
j = records.index(" WHERE `session_id`", i)
base = "(" + records[i+6:j] + " WHERE `session_id` = 'jmh-pushdown-1000000')"
open('base.sql','w').write(base)
for name, cols in [('base count', 'count()'), ('base kind', 'sum(pdb_kind)'), ('base bad', 'sum(pdb_bad)'), ('base ts trace', 'sum(pdb_ts), max(length(pdb_trace_id))'),('base strings', 'max(length(pdb_parent_id)), max(length(pdb_phase_name)), max(length(pdb_metadata_json))')]:
    cpu(name, 'SELECT ' + cols + ' FROM ' + base)
