package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// MaxBodyBytes is the largest request body any endpoint accepts. The biggest
// legitimate body is a kiosk batch of 100 submissions.
const MaxBodyBytes = 1 << 20

// decodeJSON reads exactly one JSON value from r into dst, refusing unknown
// fields, trailing data and bodies over MaxBodyBytes, then validates dst's
// `validate` tags. Every failure is an *Error naming the field at fault.
func decodeJSON(r *http.Request, dst any) error {
	// Requiring the JSON media type also keeps plain HTML forms on other
	// sites from posting here.
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMedia, Message: "Send the body as application/json."}
	}
	if err := decodeStrict(r.Body, dst); err != nil {
		return err
	}
	return validateStruct(dst)
}

// decodeStrict is the decoding half of decodeJSON, separate so that it can
// be fuzzed without HTTP.
func decodeStrict(body io.Reader, dst any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return jsonError(err)
		}
		return badRequest(CodeInvalidJSON, "The body must hold exactly one JSON value.", nil)
	}
	return nil
}

func jsonError(err error) *Error {
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		maxErr    *http.MaxBytesError
	)
	switch {
	case errors.As(err, &maxErr):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
			Message: fmt.Sprintf("The body is larger than %d bytes.", maxErr.Limit)}
	case errors.Is(err, io.EOF):
		return badRequest(CodeInvalidJSON, "The body is empty; send a JSON object.", nil)
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest(CodeInvalidJSON, "The body is not valid JSON.", nil)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return badRequest(CodeInvalidJSON, "The body must be a JSON object.", nil)
		}
		return invalidField(field, "must be "+describeType(typeErr.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalidField(name, "is not a known field")
	}
	// Custom UnmarshalJSON methods (such as models.Day) report their own
	// messages; they describe input, not server state.
	return badRequest(CodeInvalidInput, "Please check the request: "+err.Error(), nil)
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a different type"
}

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

func validatorInstance() *validator.Validate {
	validateOnce.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		validate.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
	})
	return validate
}

// validateStruct checks `validate` tags and names each failing field by its
// JSON path with a plain-language reason.
func validateStruct(v any) error {
	if rv := reflect.Indirect(reflect.ValueOf(v)); rv.Kind() != reflect.Struct {
		return nil
	}
	err := validatorInstance().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return fmt.Errorf("validate request: %w", err)
	}
	fields := make(map[string]string, len(verrs))
	for _, fe := range verrs {
		fields[jsonPath(fe.Namespace())] = reason(fe)
	}
	return badRequest(CodeInvalidInput, "Please check the highlighted fields.", fields)
}

// jsonPath drops the top-level struct name from a validator namespace.
func jsonPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return ns
}

func reason(fe validator.FieldError) string {
	unit := "characters"
	if k := fe.Kind(); k == reflect.Slice || k == reflect.Map || k == reflect.Array {
		unit = "items"
	}
	switch fe.Tag() {
	case "required":
		return "is required"
	case "max":
		return fmt.Sprintf("must be at most %s %s", fe.Param(), unit)
	case "min":
		return fmt.Sprintf("must be at least %s %s", fe.Param(), unit)
	case "len":
		return fmt.Sprintf("must be exactly %s %s", fe.Param(), unit)
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "email":
		return "must be an e-mail address"
	case "uuid", "uuid4":
		return "must be an identifier (UUID)"
	case "gte":
		return "must be at least " + fe.Param()
	case "lte":
		return "must be at most " + fe.Param()
	case "unique":
		return "must not repeat an item"
	case "timezone":
		return "must be a time zone such as America/New_York"
	}
	return "is not valid (" + fe.Tag() + ")"
}
