import subprocess, time
records = open('records.sql').read()
def run(name, q):
    t=time.time()
    r=subprocess.run(['curl','-s','http://127.0.0.1:18933/?max_query_size=30000000','--data-binary','@-'],input=(q+'\nFORMAT Null').encode(),capture_output=True)
    print(f"{name}: {time.time()-t:.2f}s {r.stdout[:300]!r}", flush=True)
sums = 'SELECT count(), sum(pd_rec), sum(pd_rl), max(pd_strm), sum(pd_g_run), sum(pd_picos), sum(pd_tin), sum(pd_has_cost), sum(pd_costu) FROM '
a = records.index('ifNull(pdb_ts IN (SELECT toFloat64(arrayJoin([')
b = records.index(']))), 0)', a) + len(']))), 0)')
i = records.index('FROM (SELECT toFloat64(`timestamp`) AS pdb_ts')
j = records.index(" WHERE `session_id`", i)
base = records[i+6:j] + " WHERE session_id='jmh-pushdown-1000000'"
structure = "NOT (((pdb_kind IN (7, 8, 27)) AND isNull(pdb_sounding_index) AND isNull(pdb_reforge_step) AND isNull(pdb_winning_sounding_index)) OR (pdb_kind IN (9)))"
sub = "ifNull(pdb_ts GLOBAL IN (SELECT pdb_ts FROM (" + base + ") WHERE " + structure + "), 0)"
open('sub.txt','w').write(sub)
for k in range(2):
  run('sums literal', sums+records)
  run('sums fallback subquery', sums+records[:a] + sub + records[b:])
