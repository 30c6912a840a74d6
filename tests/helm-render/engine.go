package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"regexp"
	"strings"
	"text/template"

	sprig "github.com/Masterminds/sprig"
	yaml "gopkg.in/yaml.v2"
)

// Helm stops runaway include recursion at this depth.
const maxIncludeDepth = 1000

type engine struct {
	objects []map[string]interface{}
	depth   int
}

func newEngine(objects []map[string]interface{}) *engine {
	return &engine{objects: objects}
}

// render parses every source into one template set (so partials are shared) and executes each one.
func (e *engine) render(sources map[string]string, names []string, top map[string]interface{}) (map[string]string, error) {
	var t *template.Template
	t = template.New("gotpl").Option("missingkey=zero").Funcs(e.funcs(&t))
	for _, name := range names {
		if _, err := t.New(name).Parse(sources[name]); err != nil {
			return nil, cleanError(err)
		}
	}
	out := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(name[strings.LastIndex(name, "/")+1:], "_") {
			continue
		}
		vals := map[string]interface{}{}
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{"Name": name, "BasePath": name[:strings.LastIndex(name, "/")]}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, vals); err != nil {
			return nil, cleanError(err)
		}
		out[name] = strings.Replace(buf.String(), "<no value>", "", -1)
	}
	return out, nil
}

func (e *engine) funcs(t **template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	// Helm removes these: a chart must not read the renderer's environment.
	delete(f, "env")
	delete(f, "expandenv")

	f["toYaml"] = toYAML
	f["fromYaml"] = fromYAML
	f["fromYamlArray"] = fromYAMLArray
	f["toJson"] = toJSON
	f["fromJson"] = fromJSON
	f["fromJsonArray"] = fromJSONArray
	f["required"] = required
	f["lookup"] = e.lookup
	f["include"] = func(name string, data interface{}) (string, error) {
		if e.depth >= maxIncludeDepth {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		e.depth++
		defer func() { e.depth-- }()
		var buf bytes.Buffer
		if err := (*t).ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := (*t).Clone()
		if err != nil {
			return "", err
		}
		name := "tpl"
		if m, ok := data.(map[string]interface{}); ok {
			if tm, ok := m["Template"].(map[string]interface{}); ok {
				if n, ok := tm["Name"].(string); ok {
					name = n + "/tpl"
				}
			}
		}
		parsed, err := clone.New(name).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %v", text, err)
		}
		var buf bytes.Buffer
		if err := parsed.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %v", text, err)
		}
		return strings.Replace(buf.String(), "<no value>", "", -1), nil
	}
	return f
}

func required(message string, value interface{}) (interface{}, error) {
	if value == nil {
		return nil, fmt.Errorf("%s", message)
	}
	if s, ok := value.(string); ok && s == "" {
		return nil, fmt.Errorf("%s", message)
	}
	return value, nil
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(text string) map[string]interface{} {
	var raw interface{}
	if err := yaml.Unmarshal([]byte(text), &raw); err != nil {
		return map[string]interface{}{"Error": err.Error()}
	}
	m, ok := normalize(raw).(map[string]interface{})
	if !ok {
		return map[string]interface{}{}
	}
	return m
}

func fromYAMLArray(text string) []interface{} {
	var raw interface{}
	if err := yaml.Unmarshal([]byte(text), &raw); err != nil {
		return []interface{}{err.Error()}
	}
	list, _ := normalize(raw).([]interface{})
	return list
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(text string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(text string) []interface{} {
	var list []interface{}
	if err := json.Unmarshal([]byte(text), &list); err != nil {
		return []interface{}{err.Error()}
	}
	return list
}

// lookup answers from the seeded objects: one object as a map (empty when absent), or with an empty
// name a List of the kind in the namespace ("" = all), as Helm's lookup does against a cluster.
func (e *engine) lookup(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
	var items []interface{}
	for _, obj := range e.objects {
		if obj["apiVersion"] != apiVersion || obj["kind"] != kind {
			continue
		}
		meta, _ := obj["metadata"].(map[string]interface{})
		objNamespace, _ := meta["namespace"].(string)
		objName, _ := meta["name"].(string)
		if namespace != "" && objNamespace != namespace {
			continue
		}
		if name != "" {
			if objName == name {
				return obj, nil
			}
			continue
		}
		items = append(items, obj)
	}
	if name != "" {
		return map[string]interface{}{}, nil
	}
	if items == nil {
		items = []interface{}{}
	}
	return map[string]interface{}{"apiVersion": "v1", "kind": kind + "List", "items": items}, nil
}

func loadLookupObjects(path string) ([]map[string]interface{}, error) {
	if path == "" {
		return nil, nil
	}
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	list, ok := normalize(raw).([]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: expected a YAML list of objects", path)
	}
	var objects []map[string]interface{}
	for i, item := range list {
		obj, ok := item.(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("%s: item %d is not an object", path, i)
		}
		objects = append(objects, obj)
	}
	return objects, nil
}

var execError = regexp.MustCompile(`^template: (\S+?):(\d+):(\d+): executing "[^"]*" at <[^>]*>: error calling (?:required|fail|include|tpl): `)

// cleanError shapes a required/fail failure the way Helm prints it: "execution error at (file:line:col): message".
func cleanError(err error) error {
	text := err.Error()
	for {
		loc := execError.FindStringSubmatchIndex(text)
		if loc == nil {
			break
		}
		location := text[loc[2]:loc[3]] + ":" + text[loc[4]:loc[5]] + ":" + text[loc[6]:loc[7]]
		rest := text[loc[1]:]
		if execError.MatchString(rest) {
			text = rest // an include wraps the inner template's error; report the innermost
			continue
		}
		return fmt.Errorf("execution error at (%s): %s", location, rest)
	}
	return err
}
