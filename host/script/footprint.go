package script

import (
	"reflect"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// tableLayout locates lua.LTable's unexported storage, found once by
// reflection: what a table holds in memory is not what pairs() shows.
// gopher-lua never shrinks a table's array part, and it keeps every hash
// key ever stored in its keys slice and k2i map, even after t[k] = nil (a
// TODO in its table.go), so a script that stores and deletes fresh keys
// grows a table that looks empty. ok is false if gopher-lua's layout
// changed; the estimate then counts live entries only.
type tableLayout struct {
	array, dict, strdict, keys, k2i []int
	ok                              bool
}

// ltable is immutable once built: a lookup of field indexes.
var ltable = func() tableLayout {
	typ := reflect.TypeOf(lua.LTable{})
	var l tableLayout
	for _, f := range []struct {
		name string
		kind reflect.Kind
		dst  *[]int
	}{{"array", reflect.Slice, &l.array}, {"dict", reflect.Map, &l.dict}, {"strdict", reflect.Map, &l.strdict},
		{"keys", reflect.Slice, &l.keys}, {"k2i", reflect.Map, &l.k2i}} {
		sf, found := typ.FieldByName(f.name)
		if !found || sf.Type.Kind() != f.kind {
			return tableLayout{}
		}
		*f.dst = sf.Index
	}
	keys, _ := typ.FieldByName("keys")
	l.ok = keys.Type == reflect.TypeOf([]lua.LValue(nil))
	return l
}()

// footprint is the memory a table's storage holds, live or not, and the
// hash keys it keeps (all of them, deleted ones included).
func footprint(t *lua.LTable) (int64, []lua.LValue) {
	if !ltable.ok {
		return 0, nil
	}
	v := reflect.ValueOf(t).Elem()
	maps := v.FieldByIndex(ltable.dict).Len() + v.FieldByIndex(ltable.strdict).Len() + v.FieldByIndex(ltable.k2i).Len()
	kf := v.FieldByIndex(ltable.keys)
	keys := *(*[]lua.LValue)(unsafe.Pointer(kf.UnsafeAddr())) // read only
	slots := v.FieldByIndex(ltable.array).Cap() + kf.Cap()
	return int64(slots)*sizeSlot + int64(maps)*sizeMapEntry, keys
}
