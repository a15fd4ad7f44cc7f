# Sourced by .ci/run: makes sure a PostgreSQL server runs on this machine
# with a password user and a database for the tests, installing it from
# Debian's packages when it is missing. Never skips: any failure stops CI.

postgres_dsn() {
	if ! command -v pg_lsclusters >/dev/null 2>&1; then
		echo "installing PostgreSQL" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq postgresql >&2
	fi
	local cluster version name
	cluster=$(pg_lsclusters --no-header | head -n 1)
	if [ -z "$cluster" ]; then
		version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
		pg_createcluster "$version" main >&2
		cluster=$(pg_lsclusters --no-header | head -n 1)
	fi
	version=$(echo "$cluster" | awk '{print $1}')
	name=$(echo "$cluster" | awk '{print $2}')
	if ! echo "$cluster" | grep -q online; then
		pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >&2
	fi
	local port
	port=$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1==v && $2==n {print $3}')
	for _ in $(seq 1 30); do
		su postgres -c "psql -p $port -Atqc 'select 1'" >/dev/null 2>&1 && break
		sleep 1
	done
	su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -q" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'policygraph') THEN
    CREATE ROLE policygraph LOGIN PASSWORD 'policygraph';
  END IF;
END \$\$;
SQL
	if ! su postgres -c "psql -p $port -Atqc \"select 1 from pg_database where datname='policygraph_test'\"" | grep -q 1; then
		su postgres -c "createdb -p $port -O policygraph policygraph_test" >&2
	fi
	echo "postgres://policygraph:policygraph@127.0.0.1:$port/policygraph_test?sslmode=disable"
}
