import subprocess, time, json
records = open('records.sql').read()
def cpu(name, q):
    tag = '/* %s %f */ ' % (name, time.time())
    r=subprocess.run(['curl','-s','http://127.0.0.1:18933/?max_query_size=30000000','--data-binary','@-'],input=(tag + q+'\nFORMAT Null').encode(),capture_output=True)
    subprocess.run(['curl','-s','http://127.0.0.1:18933/','--data-binary','SYSTEM FLUSH LOGS'])
    out=subprocess.run(['curl','-s','http://127.0.0.1:18933/','--data-binary',"SELECT query_duration_ms, ProfileEvents.Values[indexOf(ProfileEvents.Names,'OSCPUVirtualTimeMicroseconds')] FROM system.query_log WHERE type=2 AND startsWith(query, '%s') FORMAT TSV" % tag.replace("'", "")],capture_output=True).stdout.decode().strip()
    print(f"{name}: wall_ms cpu_us {out} {r.stdout[:200]!r}", flush=True)
for name, cols in [('count', 'count()'), ('rec', 'sum(pd_rec)'), ('rl', 'sum(pd_rl)'), ('g_run', 'sum(pd_g_run)'), ('strm', 'max(pd_strm)'),
                   ('picos', 'sum(pd_picos)'), ('ts+trace', 'sum(pd_ts), max(length(pd_trace))'), ('all', 'count(), sum(pd_rec), sum(pd_rl), max(pd_strm), sum(pd_g_run), sum(pd_picos), sum(pd_tin), sum(pd_has_cost), sum(pd_costu)')]:
    cpu(name, 'SELECT ' + cols + ' FROM ' + records)
