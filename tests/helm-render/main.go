// helm-render renders a Helm chart's templates the way `helm template` does, for machines that have
// no Helm binary: Go's text/template with sprig plus Helm's own functions (include, tpl, required,
// toYaml, fromYaml, toJson, fromJson, lookup). Built with Debian's Go in GOPATH mode, see
// scripts/render-chart.sh.
//
//	helm-render template RELEASE CHART_DIR [--namespace NS] [-f values.yaml]... [--set k=v]...
//	            [--set-string k=v]... [--lookup objects.yaml] [--is-upgrade] [--notes]
//
// --notes prints the rendered NOTES.txt instead of the manifests (what `helm install` shows after).
// Differences from Helm, on purpose: lookup answers from the --lookup file (a YAML list of objects)
// instead of a cluster and returns an empty map otherwise (as `helm template` does); no
// subcharts, no .Files, no schema validation; NOTES.txt is not rendered (as `helm template`).
package main

import (
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

type options struct {
	release    string
	chartDir   string
	namespace  string
	valueFiles []string
	sets       []string
	setStrings []string
	lookupFile string
	isUpgrade  bool
	notes      bool
}

func main() {
	opts, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm-render:", err)
		os.Exit(2)
	}
	out, err := render(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	fmt.Print(out)
}

func parseArgs(args []string) (*options, error) {
	opts := &options{namespace: "default"}
	var positional []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, value, hasValue := arg, "", false
		if strings.HasPrefix(arg, "--") {
			if eq := strings.IndexByte(arg, '='); eq > 0 {
				name, value, hasValue = arg[:eq], arg[eq+1:], true
			}
		}
		next := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("flag %s needs a value", name)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "-n", "--namespace":
			opts.namespace, err = next()
		case "-f", "--values":
			var v string
			v, err = next()
			opts.valueFiles = append(opts.valueFiles, v)
		case "--set":
			var v string
			v, err = next()
			opts.sets = append(opts.sets, v)
		case "--set-string":
			var v string
			v, err = next()
			opts.setStrings = append(opts.setStrings, v)
		case "--lookup":
			opts.lookupFile, err = next()
		case "--is-upgrade":
			opts.isUpgrade = true
		case "--notes":
			opts.notes = true
		default:
			if strings.HasPrefix(arg, "-") {
				return nil, fmt.Errorf("unknown flag %s", arg)
			}
			positional = append(positional, arg)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(positional) != 3 || positional[0] != "template" {
		return nil, fmt.Errorf("usage: helm-render template RELEASE CHART_DIR [--namespace NS] [-f FILE] [--set k=v] [--set-string k=v] [--lookup FILE] [--is-upgrade] [--notes]")
	}
	opts.release, opts.chartDir = positional[1], positional[2]
	return opts, nil
}

// render loads the chart, builds the values and renders every non-partial template; each document
// is printed as "---\n# Source: <chart>/templates/<file>\n<text>" in Helm's install order, like `helm template`.
func render(opts *options) (string, error) {
	chart, err := loadChartMetadata(filepath.Join(opts.chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	values, err := buildValues(opts)
	if err != nil {
		return "", err
	}
	objects, err := loadLookupObjects(opts.lookupFile)
	if err != nil {
		return "", err
	}

	chartName, _ := chart["Name"].(string)
	templatesDir := filepath.Join(opts.chartDir, "templates")
	files, err := ioutil.ReadDir(templatesDir)
	if err != nil {
		return "", fmt.Errorf("reading %s: %v", templatesDir, err)
	}
	sources := map[string]string{}
	var names []string
	for _, f := range files {
		if f.IsDir() {
			continue
		}
		text, err := ioutil.ReadFile(filepath.Join(templatesDir, f.Name()))
		if err != nil {
			return "", err
		}
		name := chartName + "/templates/" + f.Name()
		sources[name] = string(text)
		names = append(names, name)
	}
	sort.Strings(names)

	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name":      opts.release,
			"Namespace": opts.namespace,
			"IsInstall": !opts.isUpgrade,
			"IsUpgrade": opts.isUpgrade,
			"Revision":  revision(opts.isUpgrade),
			"Service":   "Helm",
		},
		"Chart":        chart,
		"Capabilities": capabilities(),
	}

	engine := newEngine(objects)
	rendered, err := engine.render(sources, names, top)
	if err != nil {
		return "", err
	}

	if opts.notes {
		return rendered[chartName+"/templates/NOTES.txt"], nil
	}

	var docs []manifest
	for _, name := range names {
		base := filepath.Base(name)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		for _, doc := range splitDocuments(rendered[name]) {
			docs = append(docs, manifest{source: name, text: doc, kind: kindOf(doc)})
		}
	}
	sortByInstallOrder(docs)

	var b strings.Builder
	for _, doc := range docs {
		b.WriteString("---\n# Source: " + doc.source + "\n")
		b.WriteString(doc.text)
		b.WriteString("\n")
	}
	return b.String(), nil
}

type manifest struct {
	source, text, kind string
}

var (
	separator = regexp.MustCompile(`(?m)^---[ \t]*$`)
	kindLine  = regexp.MustCompile(`(?m)^kind:[ \t]*["']?([A-Za-z0-9]+)`)
)

// splitDocuments cuts a rendered file at its "---" lines and drops documents with nothing but
// whitespace and comments, as Helm does.
func splitDocuments(text string) []string {
	var docs []string
	for _, part := range separator.Split(text, -1) {
		part = strings.Trim(part, "\n")
		meaningful := false
		for _, line := range strings.Split(part, "\n") {
			trimmed := strings.TrimSpace(line)
			if trimmed != "" && !strings.HasPrefix(trimmed, "#") {
				meaningful = true
				break
			}
		}
		if meaningful {
			docs = append(docs, part)
		}
	}
	return docs
}

func kindOf(doc string) string {
	if m := kindLine.FindStringSubmatch(doc); m != nil {
		return m[1]
	}
	return ""
}

// installOrder is Helm's: namespaces and accounts before what uses them, workloads last.
var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
	"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
	"ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
	"RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
	"HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
}

// sortByInstallOrder orders documents as `helm template` prints them (and `kubectl apply -f` can
// then create them in one pass); unknown kinds go last; ties keep file order.
func sortByInstallOrder(docs []manifest) {
	rank := map[string]int{}
	for i, kind := range installOrder {
		rank[kind] = i
	}
	rankOf := func(kind string) int {
		if r, ok := rank[kind]; ok {
			return r
		}
		return len(installOrder)
	}
	sort.SliceStable(docs, func(i, j int) bool { return rankOf(docs[i].kind) < rankOf(docs[j].kind) })
}

func revision(upgrade bool) int {
	if upgrade {
		return 2
	}
	return 1
}

// capabilities is the minimal .Capabilities `helm template` offers without a cluster.
func capabilities() map[string]interface{} {
	return map[string]interface{}{
		"KubeVersion": map[string]interface{}{"Version": "v1.20.2", "Major": "1", "Minor": "20", "GitVersion": "v1.20.2"},
		"APIVersions": apiVersions{"v1", "apps/v1", "rbac.authorization.k8s.io/v1"},
		"HelmVersion": map[string]interface{}{"Version": "v3.0.0-helm-render"},
	}
}

type apiVersions []string

// Has answers as Helm's Capabilities.APIVersions.Has for "group/version" and "group/version/Kind".
func (a apiVersions) Has(v string) bool {
	for _, known := range a {
		if v == known || strings.HasPrefix(v, known+"/") {
			return true
		}
	}
	return false
}
