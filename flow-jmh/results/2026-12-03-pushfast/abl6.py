exec(open('abl4.py').read().split('for name, cols')[0])
import re
def cut(s, start_marker, end_marker, repl):
    a = s.index(start_marker); b = s.index(end_marker, a)
    return s[:a] + repl + s[b:]
lines = records.split('\n')
def drop(prefix_alias, repl):
    out=[]
    for l in lines:
        if l.rstrip(',').endswith(' AS ' + prefix_alias):
            out.append('  ' + repl + ' AS ' + prefix_alias + (',' if l.endswith(',') else ''))
        else: out.append(l)
    return '\n'.join(out)
for alias in ['pd_g_start', 'pd_g_lo', 'pd_g_run', 'pd_rl', 'pd_strm', 'pd_named', 'pd_picos', 'pd_hot']:
    found = any(l.rstrip(',').endswith(' AS ' + alias) for l in lines)
    if not found: print('no', alias); continue
    cpu('count without ' + alias, 'SELECT count() FROM ' + drop(alias, 'toUInt64(0)' if alias not in ('pd_strm','pd_named','pd_hot') else 'toUInt8(0)'))
cpu('count full', 'SELECT count() FROM ' + records)
