package main

import (
	"fmt"
	"io/ioutil"
	"strconv"
	"strings"

	yaml "gopkg.in/yaml.v2"
)

// loadChartMetadata reads Chart.yaml into the field names templates use (.Chart.Name, .Chart.AppVersion).
func loadChartMetadata(path string) (map[string]interface{}, error) {
	raw, err := readYAMLMap(path)
	if err != nil {
		return nil, err
	}
	fields := map[string]string{
		"apiVersion": "APIVersion", "name": "Name", "version": "Version", "appVersion": "AppVersion",
		"description": "Description", "type": "Type", "kubeVersion": "KubeVersion", "home": "Home",
		"icon": "Icon", "keywords": "Keywords", "sources": "Sources", "maintainers": "Maintainers",
		"annotations": "Annotations", "deprecated": "Deprecated",
	}
	chart := map[string]interface{}{}
	for key, value := range raw {
		if field, ok := fields[key]; ok {
			chart[field] = value
		}
	}
	if name, _ := chart["Name"].(string); name == "" {
		return nil, fmt.Errorf("%s: name is required", path)
	}
	if version, _ := chart["Version"].(string); version == "" {
		return nil, fmt.Errorf("%s: version is required", path)
	}
	return chart, nil
}

// buildValues: values.yaml, then each -f file, then --set and --set-string, later ones winning (Helm's order).
func buildValues(opts *options) (map[string]interface{}, error) {
	values, err := readYAMLMap(opts.chartDir + "/values.yaml")
	if err != nil {
		return nil, err
	}
	for _, file := range opts.valueFiles {
		override, err := readYAMLMap(file)
		if err != nil {
			return nil, err
		}
		mergeInto(values, override)
	}
	for _, set := range opts.sets {
		if err := applySet(values, set, true); err != nil {
			return nil, fmt.Errorf("failed parsing --set data: %v", err)
		}
	}
	for _, set := range opts.setStrings {
		if err := applySet(values, set, false); err != nil {
			return nil, fmt.Errorf("failed parsing --set-string data: %v", err)
		}
	}
	return values, nil
}

func readYAMLMap(path string) (map[string]interface{}, error) {
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if raw == nil {
		return map[string]interface{}{}, nil
	}
	m, ok := normalize(raw).(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("%s: the top level must be a mapping", path)
	}
	return m, nil
}

// normalize turns yaml.v2's map[interface{}]interface{} into map[string]interface{} all the way down,
// the shape Helm's values have (it decodes YAML through JSON).
func normalize(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		m := make(map[string]interface{}, len(t))
		for k, val := range t {
			m[fmt.Sprint(k)] = normalize(val)
		}
		return m
	case map[string]interface{}:
		for k, val := range t {
			t[k] = normalize(val)
		}
		return t
	case []interface{}:
		for i, val := range t {
			t[i] = normalize(val)
		}
		return t
	case int:
		// JSON decoding gives float64 in Helm; int64 prints the same and keeps `int` comparisons simple.
		return int64(t)
	default:
		return v
	}
}

// mergeInto deep-merges src over dst: maps merge, anything else replaces; a null removes the key (Helm).
func mergeInto(dst, src map[string]interface{}) {
	for key, value := range src {
		if value == nil {
			delete(dst, key)
			continue
		}
		if srcMap, ok := value.(map[string]interface{}); ok {
			if dstMap, ok := dst[key].(map[string]interface{}); ok {
				mergeInto(dstMap, srcMap)
				continue
			}
		}
		dst[key] = value
	}
}

// applySet applies one --set argument: comma-separated key=value pairs, dotted keys, list indexes
// (a[0]=x), {a,b} lists, backslash escapes. typed: true/false/null/integers become their types.
func applySet(values map[string]interface{}, arg string, typed bool) error {
	for _, pair := range splitUnescaped(arg, ',', true) {
		if pair == "" {
			continue
		}
		eq := indexUnescaped(pair, '=')
		if eq < 0 {
			return fmt.Errorf("key %q has no value", pair)
		}
		key, raw := pair[:eq], pair[eq+1:]
		var value interface{}
		if strings.HasPrefix(raw, "{") && strings.HasSuffix(raw, "}") {
			var list []interface{}
			inner := raw[1 : len(raw)-1]
			if inner != "" {
				for _, item := range splitUnescaped(inner, ',', false) {
					list = append(list, typedValue(unescape(item), typed))
				}
			}
			if list == nil {
				list = []interface{}{}
			}
			value = list
		} else {
			value = typedValue(unescape(raw), typed)
		}
		if err := setPath(values, splitUnescaped(key, '.', false), value); err != nil {
			return fmt.Errorf("%s: %v", key, err)
		}
	}
	return nil
}

func typedValue(s string, typed bool) interface{} {
	if !typed {
		return s
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	// Helm keeps leading zeros as strings ("007") and parses other integers.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && (s == "0" || !strings.HasPrefix(strings.TrimPrefix(s, "-"), "0")) {
		return n
	}
	return s
}

func setPath(m map[string]interface{}, path []string, value interface{}) error {
	segment := unescape(path[0])
	name, index, hasIndex, err := splitIndex(segment)
	if err != nil {
		return err
	}
	last := len(path) == 1
	if !hasIndex {
		if last {
			if value == nil {
				delete(m, name)
			} else {
				m[name] = value
			}
			return nil
		}
		child, ok := m[name].(map[string]interface{})
		if !ok {
			child = map[string]interface{}{}
			m[name] = child
		}
		return setPath(child, path[1:], value)
	}
	list, _ := m[name].([]interface{})
	for len(list) <= index {
		list = append(list, nil)
	}
	if last {
		list[index] = value
	} else {
		child, ok := list[index].(map[string]interface{})
		if !ok {
			child = map[string]interface{}{}
			list[index] = child
		}
		if err := setPath(child, path[1:], value); err != nil {
			return err
		}
	}
	m[name] = list
	return nil
}

func splitIndex(segment string) (string, int, bool, error) {
	open := strings.IndexByte(segment, '[')
	if open < 0 || !strings.HasSuffix(segment, "]") {
		return segment, 0, false, nil
	}
	index, err := strconv.Atoi(segment[open+1 : len(segment)-1])
	if err != nil || index < 0 || index > 65536 {
		return "", 0, false, fmt.Errorf("bad list index in %q", segment)
	}
	return segment[:open], index, true, nil
}

// splitUnescaped splits on sep, skipping backslash-escaped ones and (when braces) ones inside {...}.
func splitUnescaped(s string, sep byte, braces bool) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case braces && s[i] == '{':
			depth++
		case braces && s[i] == '}' && depth > 0:
			depth--
		case s[i] == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func indexUnescaped(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == c {
			return i
		}
	}
	return -1
}

func unescape(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
