--
-- PostgreSQL database dump
--

-- Dumped from database version 16.2
-- Dumped by pg_dump version 16.2

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: prevent_secrets_aad_mutation(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.prevent_secrets_aad_mutation() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF OLD.secret_id != NEW.secret_id OR OLD.secret_name != NEW.secret_name THEN
        RAISE EXCEPTION 'secret_id and secret_name are immutable (used as AAD in encryption)';
    END IF;
    RETURN NEW;
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: alembic_version_auth; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version_auth (
    version_num character varying(32) NOT NULL
);


--
-- Name: assessments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessments (
    assessment_id character varying(50) NOT NULL,
    trace_id character varying(50) NOT NULL,
    name character varying(250) NOT NULL,
    assessment_type character varying(20) NOT NULL,
    value text NOT NULL,
    error text,
    created_timestamp bigint NOT NULL,
    last_updated_timestamp bigint NOT NULL,
    source_type character varying(50) NOT NULL,
    source_id character varying(250),
    run_id character varying(32),
    span_id character varying(50),
    rationale text,
    overrides character varying(50),
    valid boolean NOT NULL,
    assessment_metadata text
);


--
-- Name: datasets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.datasets (
    dataset_uuid character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    name character varying(500) NOT NULL,
    digest character varying(36) NOT NULL,
    dataset_source_type character varying(36) NOT NULL,
    dataset_source text NOT NULL,
    dataset_schema text,
    dataset_profile text
);


--
-- Name: endpoint_bindings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.endpoint_bindings (
    endpoint_id character varying(36) NOT NULL,
    resource_type character varying(50) NOT NULL,
    resource_id character varying(255) NOT NULL,
    created_at bigint NOT NULL,
    created_by character varying(255),
    last_updated_at bigint NOT NULL,
    last_updated_by character varying(255),
    display_name character varying(255)
);


--
-- Name: endpoint_model_mappings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.endpoint_model_mappings (
    mapping_id character varying(36) NOT NULL,
    endpoint_id character varying(36) NOT NULL,
    model_definition_id character varying(36) NOT NULL,
    weight double precision NOT NULL,
    created_by character varying(255),
    created_at bigint NOT NULL,
    linkage_type character varying(64) DEFAULT 'PRIMARY'::character varying NOT NULL,
    fallback_order integer
);


--
-- Name: endpoint_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.endpoint_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    endpoint_id character varying(36) NOT NULL
);


--
-- Name: endpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.endpoints (
    endpoint_id character varying(36) NOT NULL,
    name character varying(255),
    created_by character varying(255),
    created_at bigint NOT NULL,
    last_updated_by character varying(255),
    last_updated_at bigint NOT NULL,
    routing_strategy character varying(64),
    fallback_config_json text,
    experiment_id integer,
    usage_tracking boolean DEFAULT false NOT NULL,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: entity_associations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.entity_associations (
    association_id character varying(36) NOT NULL,
    source_type character varying(36) NOT NULL,
    source_id character varying(36) NOT NULL,
    destination_type character varying(36) NOT NULL,
    destination_id character varying(36) NOT NULL,
    created_time bigint
);


--
-- Name: evaluation_dataset_records; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.evaluation_dataset_records (
    dataset_record_id character varying(36) NOT NULL,
    dataset_id character varying(36) NOT NULL,
    inputs json NOT NULL,
    expectations json,
    tags json,
    source json,
    source_id character varying(36),
    source_type character varying(255),
    created_time bigint,
    last_update_time bigint,
    created_by character varying(255),
    last_updated_by character varying(255),
    input_hash character varying(64) NOT NULL,
    outputs json
);


--
-- Name: evaluation_dataset_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.evaluation_dataset_tags (
    dataset_id character varying(36) NOT NULL,
    key character varying(255) NOT NULL,
    value character varying(5000)
);


--
-- Name: evaluation_datasets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.evaluation_datasets (
    dataset_id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    schema text,
    profile text,
    digest character varying(64),
    created_time bigint,
    last_update_time bigint,
    created_by character varying(255),
    last_updated_by character varying(255),
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: experiment_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiment_permissions (
    id integer NOT NULL,
    experiment_id character varying(255) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255)
);


--
-- Name: experiment_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.experiment_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: experiment_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.experiment_permissions_id_seq OWNED BY public.experiment_permissions.id;


--
-- Name: experiment_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiment_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    experiment_id integer NOT NULL
);


--
-- Name: experiments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experiments (
    experiment_id integer NOT NULL,
    name character varying(256) NOT NULL,
    artifact_location character varying(256),
    lifecycle_stage character varying(32),
    creation_time bigint,
    last_update_time bigint,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL,
    CONSTRAINT experiments_lifecycle_stage CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[])))
);


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.experiments_experiment_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.experiments_experiment_id_seq OWNED BY public.experiments.experiment_id;


--
-- Name: gateway_endpoint_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gateway_endpoint_permissions (
    id integer NOT NULL,
    endpoint_id character varying(255) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255)
);


--
-- Name: gateway_endpoint_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.gateway_endpoint_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: gateway_endpoint_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.gateway_endpoint_permissions_id_seq OWNED BY public.gateway_endpoint_permissions.id;


--
-- Name: gateway_model_definition_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gateway_model_definition_permissions (
    id integer NOT NULL,
    model_definition_id character varying(255) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255)
);


--
-- Name: gateway_model_definition_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.gateway_model_definition_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: gateway_model_definition_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.gateway_model_definition_permissions_id_seq OWNED BY public.gateway_model_definition_permissions.id;


--
-- Name: gateway_secret_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gateway_secret_permissions (
    id integer NOT NULL,
    secret_id character varying(255) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255)
);


--
-- Name: gateway_secret_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.gateway_secret_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: gateway_secret_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.gateway_secret_permissions_id_seq OWNED BY public.gateway_secret_permissions.id;


--
-- Name: input_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.input_tags (
    input_uuid character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    value character varying(500) NOT NULL
);


--
-- Name: inputs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inputs (
    input_uuid character varying(36) NOT NULL,
    source_type character varying(36) NOT NULL,
    source_id character varying(36) NOT NULL,
    destination_type character varying(36) NOT NULL,
    destination_id character varying(36) NOT NULL,
    step bigint DEFAULT '0'::bigint NOT NULL
);


--
-- Name: jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.jobs (
    id character varying(36) NOT NULL,
    creation_time bigint NOT NULL,
    job_name character varying(500) NOT NULL,
    params text NOT NULL,
    timeout double precision,
    status integer NOT NULL,
    result text,
    retry_count integer NOT NULL,
    last_update_time bigint NOT NULL,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: latest_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.latest_metrics (
    key character varying(250) NOT NULL,
    value double precision NOT NULL,
    "timestamp" bigint,
    step bigint NOT NULL,
    is_nan boolean NOT NULL,
    run_uuid character varying(32) NOT NULL
);


--
-- Name: logged_model_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_model_metrics (
    model_id character varying(36) NOT NULL,
    metric_name character varying(500) NOT NULL,
    metric_timestamp_ms bigint NOT NULL,
    metric_step bigint NOT NULL,
    metric_value double precision,
    experiment_id integer NOT NULL,
    run_id character varying(32) NOT NULL,
    dataset_uuid character varying(36),
    dataset_name character varying(500),
    dataset_digest character varying(36)
);


--
-- Name: logged_model_params; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_model_params (
    model_id character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    param_key character varying(255) NOT NULL,
    param_value text NOT NULL
);


--
-- Name: logged_model_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_model_tags (
    model_id character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    tag_key character varying(255) NOT NULL,
    tag_value text NOT NULL
);


--
-- Name: logged_models; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.logged_models (
    model_id character varying(36) NOT NULL,
    experiment_id integer NOT NULL,
    name character varying(500) NOT NULL,
    artifact_location character varying(1000) NOT NULL,
    creation_timestamp_ms bigint NOT NULL,
    last_updated_timestamp_ms bigint NOT NULL,
    status integer NOT NULL,
    lifecycle_stage character varying(32),
    model_type character varying(500),
    source_run_id character varying(32),
    status_message character varying(1000),
    CONSTRAINT logged_models_lifecycle_stage_check CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[])))
);


--
-- Name: metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.metrics (
    key character varying(250) NOT NULL,
    value double precision NOT NULL,
    "timestamp" bigint NOT NULL,
    run_uuid character varying(32) NOT NULL,
    step bigint DEFAULT '0'::bigint NOT NULL,
    is_nan boolean DEFAULT false NOT NULL
);


--
-- Name: model_definitions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_definitions (
    model_definition_id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    secret_id character varying(36),
    provider character varying(64) NOT NULL,
    model_name character varying(256) NOT NULL,
    created_by character varying(255),
    created_at bigint NOT NULL,
    last_updated_by character varying(255),
    last_updated_at bigint NOT NULL,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: model_version_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_version_tags (
    key character varying(250) NOT NULL,
    value text,
    name character varying(256) NOT NULL,
    version integer NOT NULL,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: model_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_versions (
    name character varying(256) NOT NULL,
    version integer NOT NULL,
    creation_time bigint,
    last_updated_time bigint,
    description character varying(5000),
    user_id character varying(256),
    current_stage character varying(20),
    source character varying(500),
    run_id character varying(32),
    status character varying(20),
    status_message character varying(500),
    run_link character varying(500),
    storage_location character varying(500),
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: online_scoring_configs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.online_scoring_configs (
    online_scoring_config_id character varying(36) NOT NULL,
    scorer_id character varying(36) NOT NULL,
    sample_rate double precision NOT NULL,
    experiment_id integer NOT NULL,
    filter_string text
);


--
-- Name: params; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.params (
    key character varying(250) NOT NULL,
    value character varying(8000) NOT NULL,
    run_uuid character varying(32) NOT NULL
);


--
-- Name: registered_model_aliases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_aliases (
    alias character varying(256) NOT NULL,
    version integer NOT NULL,
    name character varying(256) NOT NULL,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: registered_model_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_permissions (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255),
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: registered_model_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.registered_model_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: registered_model_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.registered_model_permissions_id_seq OWNED BY public.registered_model_permissions.id;


--
-- Name: registered_model_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_model_tags (
    key character varying(250) NOT NULL,
    value character varying(5000),
    name character varying(256) NOT NULL,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: registered_models; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registered_models (
    name character varying(256) NOT NULL,
    creation_time bigint,
    last_updated_time bigint,
    description character varying(5000),
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.runs (
    run_uuid character varying(32) NOT NULL,
    name character varying(250),
    source_type character varying(20),
    source_name character varying(500),
    entry_point_name character varying(50),
    user_id character varying(256),
    status character varying(9),
    start_time bigint,
    end_time bigint,
    source_version character varying(50),
    lifecycle_stage character varying(20),
    artifact_uri character varying(200),
    experiment_id integer,
    deleted_time bigint,
    CONSTRAINT runs_lifecycle_stage CHECK (((lifecycle_stage)::text = ANY ((ARRAY['active'::character varying, 'deleted'::character varying])::text[]))),
    CONSTRAINT runs_status_check CHECK (((status)::text = ANY ((ARRAY['SCHEDULED'::character varying, 'FAILED'::character varying, 'FINISHED'::character varying, 'RUNNING'::character varying, 'KILLED'::character varying])::text[]))),
    CONSTRAINT source_type CHECK (((source_type)::text = ANY ((ARRAY['NOTEBOOK'::character varying, 'JOB'::character varying, 'LOCAL'::character varying, 'UNKNOWN'::character varying, 'PROJECT'::character varying])::text[])))
);


--
-- Name: scorer_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scorer_permissions (
    id integer NOT NULL,
    experiment_id character varying(255) NOT NULL,
    scorer_name character varying(256) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(255)
);


--
-- Name: scorer_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.scorer_permissions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: scorer_permissions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.scorer_permissions_id_seq OWNED BY public.scorer_permissions.id;


--
-- Name: scorer_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scorer_versions (
    scorer_id character varying(36) NOT NULL,
    scorer_version integer NOT NULL,
    serialized_scorer text NOT NULL,
    creation_time bigint
);


--
-- Name: scorers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.scorers (
    experiment_id integer NOT NULL,
    scorer_name character varying(256) NOT NULL,
    scorer_id character varying(36) NOT NULL
);


--
-- Name: secrets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.secrets (
    secret_id character varying(36) NOT NULL,
    secret_name character varying(255) NOT NULL,
    encrypted_value bytea NOT NULL,
    wrapped_dek bytea NOT NULL,
    kek_version integer NOT NULL,
    masked_value character varying(500) NOT NULL,
    provider character varying(64),
    auth_config text,
    description text,
    created_by character varying(255),
    created_at bigint NOT NULL,
    last_updated_by character varying(255),
    last_updated_at bigint NOT NULL,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: span_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.span_metrics (
    trace_id character varying(50) NOT NULL,
    span_id character varying(50) NOT NULL,
    key character varying(250) NOT NULL,
    value double precision
);


--
-- Name: spans; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.spans (
    trace_id character varying(50) NOT NULL,
    experiment_id integer NOT NULL,
    span_id character varying(50) NOT NULL,
    parent_span_id character varying(50),
    name text,
    type character varying(500),
    status character varying(50) NOT NULL,
    start_time_unix_nano bigint NOT NULL,
    end_time_unix_nano bigint,
    duration_ns bigint GENERATED ALWAYS AS ((end_time_unix_nano - start_time_unix_nano)) STORED,
    content text NOT NULL,
    dimension_attributes json
);


--
-- Name: tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tags (
    key character varying(250) NOT NULL,
    value character varying(8000),
    run_uuid character varying(32) NOT NULL
);


--
-- Name: trace_info; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_info (
    request_id character varying(50) NOT NULL,
    experiment_id integer NOT NULL,
    timestamp_ms bigint NOT NULL,
    execution_time_ms bigint,
    status character varying(50) NOT NULL,
    client_request_id character varying(50),
    request_preview character varying(1000),
    response_preview character varying(1000)
);


--
-- Name: trace_metrics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_metrics (
    request_id character varying(50) NOT NULL,
    key character varying(250) NOT NULL,
    value double precision
);


--
-- Name: trace_request_metadata; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_request_metadata (
    key character varying(250) NOT NULL,
    value character varying(8000),
    request_id character varying(50) NOT NULL
);


--
-- Name: trace_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trace_tags (
    key character varying(250) NOT NULL,
    value character varying(8000),
    request_id character varying(50) NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id integer NOT NULL,
    username character varying(255),
    password_hash character varying(255),
    is_admin boolean
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: webhook_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_events (
    webhook_id character varying(256) NOT NULL,
    entity character varying(50) NOT NULL,
    action character varying(50) NOT NULL
);


--
-- Name: webhooks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks (
    webhook_id character varying(256) NOT NULL,
    name character varying(256) NOT NULL,
    description character varying(1000),
    url character varying(500) NOT NULL,
    status character varying(20) DEFAULT 'ACTIVE'::character varying NOT NULL,
    secret character varying(1000),
    creation_timestamp bigint,
    last_updated_timestamp bigint,
    deleted_timestamp bigint,
    workspace character varying(63) DEFAULT 'default'::character varying NOT NULL
);


--
-- Name: workspace_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workspace_permissions (
    workspace character varying(63) NOT NULL,
    user_id integer NOT NULL,
    permission character varying(32) NOT NULL
);


--
-- Name: workspaces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workspaces (
    name character varying(63) NOT NULL,
    description text,
    default_artifact_root text
);


--
-- Name: experiment_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions ALTER COLUMN id SET DEFAULT nextval('public.experiment_permissions_id_seq'::regclass);


--
-- Name: experiments experiment_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments ALTER COLUMN experiment_id SET DEFAULT nextval('public.experiments_experiment_id_seq'::regclass);


--
-- Name: gateway_endpoint_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_endpoint_permissions ALTER COLUMN id SET DEFAULT nextval('public.gateway_endpoint_permissions_id_seq'::regclass);


--
-- Name: gateway_model_definition_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_model_definition_permissions ALTER COLUMN id SET DEFAULT nextval('public.gateway_model_definition_permissions_id_seq'::regclass);


--
-- Name: gateway_secret_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_secret_permissions ALTER COLUMN id SET DEFAULT nextval('public.gateway_secret_permissions_id_seq'::regclass);


--
-- Name: registered_model_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions ALTER COLUMN id SET DEFAULT nextval('public.registered_model_permissions_id_seq'::regclass);


--
-- Name: scorer_permissions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorer_permissions ALTER COLUMN id SET DEFAULT nextval('public.scorer_permissions_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('1b5f0d9ad7c1');


--
-- Data for Name: alembic_version_auth; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version_auth VALUES ('2ed73881770d');


--
-- Data for Name: assessments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.assessments VALUES ('a-216a1659697e490196dd1ea5f13d6051', 'tr-3dc12f7e9a237979d11908aa19a29baa', 'quality', 'feedback', 'true', NULL, 1796299234308, 1796299234308, 'CODE', 'default', NULL, NULL, NULL, NULL, true, NULL);
INSERT INTO public.assessments VALUES ('a-4e8c93fb2b1e497a8091981b830654c7', 'tr-e3714107332863becddf9ad25d059689', 'quality', 'feedback', 'false', NULL, 1796299235066, 1796299235066, 'CODE', 'default', NULL, NULL, NULL, NULL, true, NULL);
INSERT INTO public.assessments VALUES ('a-9b770cf1cfdf4894a4dd30e61fde6580', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6', 'quality', 'feedback', 'true', NULL, 1796299235868, 1796299235868, 'CODE', 'default', NULL, NULL, NULL, NULL, true, NULL);


--
-- Data for Name: datasets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: endpoint_bindings; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: endpoint_model_mappings; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: endpoint_tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: endpoints; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: entity_associations; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: evaluation_dataset_records; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: evaluation_dataset_tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: evaluation_datasets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: experiment_permissions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiment_permissions VALUES (1, '1', 1, 'MANAGE');
INSERT INTO public.experiment_permissions VALUES (2, '2', 1, 'MANAGE');
INSERT INTO public.experiment_permissions VALUES (3, '1', 2, 'READ');
INSERT INTO public.experiment_permissions VALUES (4, '1', 3, 'EDIT');


--
-- Data for Name: experiment_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiment_tags VALUES ('team', 'old', 1);


--
-- Data for Name: experiments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.experiments VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 1796299159124, 1796299159124, 'default');
INSERT INTO public.experiments VALUES (1, 'shared', 'mlflow-artifacts:/1', 'active', 1796299164549, 1796299164549, 'default');
INSERT INTO public.experiments VALUES (2, 'private', 'mlflow-artifacts:/2', 'active', 1796299164911, 1796299164911, 'default');


--
-- Data for Name: gateway_endpoint_permissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: gateway_model_definition_permissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: gateway_secret_permissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: input_tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: inputs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: jobs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: latest_metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.latest_metrics VALUES ('loss', 0.047619047619047616, 1700000000019, 19, false, 'cdf90392c4cb4271b291d7e5c9cba7ac');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, 'cdf90392c4cb4271b291d7e5c9cba7ac');
INSERT INTO public.latest_metrics VALUES ('loss', 0.043478260869565216, 1700000000019, 19, false, 'efea3298e83649afb19701dd52a35e8d');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, 'efea3298e83649afb19701dd52a35e8d');
INSERT INTO public.latest_metrics VALUES ('loss', 0.05, 1700000000019, 19, false, '3632ec423fe6435b8edd5310febf2f28');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '3632ec423fe6435b8edd5310febf2f28');
INSERT INTO public.latest_metrics VALUES ('loss', 0.04, 1700000000019, 19, false, '911841f3eead4dc8a9b0d145a11f2cb2');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '911841f3eead4dc8a9b0d145a11f2cb2');
INSERT INTO public.latest_metrics VALUES ('loss', 0.045454545454545456, 1700000000019, 19, false, '5dc85acbb964487a9e14ca81fcab867c');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '5dc85acbb964487a9e14ca81fcab867c');
INSERT INTO public.latest_metrics VALUES ('loss', 0.041666666666666664, 1700000000019, 19, false, '95e23872af514ee3bcf9996deb469b53');
INSERT INTO public.latest_metrics VALUES ('acc', 0.95, 1700000000019, 19, false, '95e23872af514ee3bcf9996deb469b53');


--
-- Data for Name: logged_model_metrics; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: logged_model_params; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: logged_model_tags; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: logged_models; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.metrics VALUES ('loss', 1, 1700000000000, '3632ec423fe6435b8edd5310febf2f28', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '3632ec423fe6435b8edd5310febf2f28', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.5, 1700000000001, '3632ec423fe6435b8edd5310febf2f28', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '3632ec423fe6435b8edd5310febf2f28', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000002, '3632ec423fe6435b8edd5310febf2f28', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '3632ec423fe6435b8edd5310febf2f28', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000003, '3632ec423fe6435b8edd5310febf2f28', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '3632ec423fe6435b8edd5310febf2f28', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000004, '3632ec423fe6435b8edd5310febf2f28', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '3632ec423fe6435b8edd5310febf2f28', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000005, '3632ec423fe6435b8edd5310febf2f28', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '3632ec423fe6435b8edd5310febf2f28', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000006, '3632ec423fe6435b8edd5310febf2f28', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '3632ec423fe6435b8edd5310febf2f28', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000007, '3632ec423fe6435b8edd5310febf2f28', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '3632ec423fe6435b8edd5310febf2f28', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000008, '3632ec423fe6435b8edd5310febf2f28', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '3632ec423fe6435b8edd5310febf2f28', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000009, '3632ec423fe6435b8edd5310febf2f28', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '3632ec423fe6435b8edd5310febf2f28', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000010, '3632ec423fe6435b8edd5310febf2f28', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '3632ec423fe6435b8edd5310febf2f28', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000011, '3632ec423fe6435b8edd5310febf2f28', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '3632ec423fe6435b8edd5310febf2f28', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000012, '3632ec423fe6435b8edd5310febf2f28', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '3632ec423fe6435b8edd5310febf2f28', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000013, '3632ec423fe6435b8edd5310febf2f28', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '3632ec423fe6435b8edd5310febf2f28', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000014, '3632ec423fe6435b8edd5310febf2f28', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '3632ec423fe6435b8edd5310febf2f28', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000015, '3632ec423fe6435b8edd5310febf2f28', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '3632ec423fe6435b8edd5310febf2f28', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000016, '3632ec423fe6435b8edd5310febf2f28', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '3632ec423fe6435b8edd5310febf2f28', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000017, '3632ec423fe6435b8edd5310febf2f28', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '3632ec423fe6435b8edd5310febf2f28', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000018, '3632ec423fe6435b8edd5310febf2f28', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '3632ec423fe6435b8edd5310febf2f28', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000019, '3632ec423fe6435b8edd5310febf2f28', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '3632ec423fe6435b8edd5310febf2f28', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.5, 1700000000000, 'cdf90392c4cb4271b291d7e5c9cba7ac', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, 'cdf90392c4cb4271b291d7e5c9cba7ac', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000001, 'cdf90392c4cb4271b291d7e5c9cba7ac', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, 'cdf90392c4cb4271b291d7e5c9cba7ac', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000002, 'cdf90392c4cb4271b291d7e5c9cba7ac', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, 'cdf90392c4cb4271b291d7e5c9cba7ac', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000003, 'cdf90392c4cb4271b291d7e5c9cba7ac', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, 'cdf90392c4cb4271b291d7e5c9cba7ac', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000004, 'cdf90392c4cb4271b291d7e5c9cba7ac', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, 'cdf90392c4cb4271b291d7e5c9cba7ac', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000005, 'cdf90392c4cb4271b291d7e5c9cba7ac', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, 'cdf90392c4cb4271b291d7e5c9cba7ac', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000006, 'cdf90392c4cb4271b291d7e5c9cba7ac', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, 'cdf90392c4cb4271b291d7e5c9cba7ac', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000007, 'cdf90392c4cb4271b291d7e5c9cba7ac', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, 'cdf90392c4cb4271b291d7e5c9cba7ac', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000008, 'cdf90392c4cb4271b291d7e5c9cba7ac', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, 'cdf90392c4cb4271b291d7e5c9cba7ac', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000009, 'cdf90392c4cb4271b291d7e5c9cba7ac', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, 'cdf90392c4cb4271b291d7e5c9cba7ac', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000010, 'cdf90392c4cb4271b291d7e5c9cba7ac', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, 'cdf90392c4cb4271b291d7e5c9cba7ac', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000011, 'cdf90392c4cb4271b291d7e5c9cba7ac', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, 'cdf90392c4cb4271b291d7e5c9cba7ac', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000012, 'cdf90392c4cb4271b291d7e5c9cba7ac', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, 'cdf90392c4cb4271b291d7e5c9cba7ac', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000013, 'cdf90392c4cb4271b291d7e5c9cba7ac', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, 'cdf90392c4cb4271b291d7e5c9cba7ac', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000014, 'cdf90392c4cb4271b291d7e5c9cba7ac', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, 'cdf90392c4cb4271b291d7e5c9cba7ac', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000015, 'cdf90392c4cb4271b291d7e5c9cba7ac', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, 'cdf90392c4cb4271b291d7e5c9cba7ac', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000016, 'cdf90392c4cb4271b291d7e5c9cba7ac', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, 'cdf90392c4cb4271b291d7e5c9cba7ac', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000017, 'cdf90392c4cb4271b291d7e5c9cba7ac', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, 'cdf90392c4cb4271b291d7e5c9cba7ac', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000018, 'cdf90392c4cb4271b291d7e5c9cba7ac', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, 'cdf90392c4cb4271b291d7e5c9cba7ac', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000019, 'cdf90392c4cb4271b291d7e5c9cba7ac', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, 'cdf90392c4cb4271b291d7e5c9cba7ac', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.3333333333333333, 1700000000000, '5dc85acbb964487a9e14ca81fcab867c', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '5dc85acbb964487a9e14ca81fcab867c', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000001, '5dc85acbb964487a9e14ca81fcab867c', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '5dc85acbb964487a9e14ca81fcab867c', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000002, '5dc85acbb964487a9e14ca81fcab867c', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '5dc85acbb964487a9e14ca81fcab867c', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000003, '5dc85acbb964487a9e14ca81fcab867c', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '5dc85acbb964487a9e14ca81fcab867c', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000004, '5dc85acbb964487a9e14ca81fcab867c', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '5dc85acbb964487a9e14ca81fcab867c', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000005, '5dc85acbb964487a9e14ca81fcab867c', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '5dc85acbb964487a9e14ca81fcab867c', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000006, '5dc85acbb964487a9e14ca81fcab867c', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '5dc85acbb964487a9e14ca81fcab867c', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000007, '5dc85acbb964487a9e14ca81fcab867c', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '5dc85acbb964487a9e14ca81fcab867c', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000008, '5dc85acbb964487a9e14ca81fcab867c', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '5dc85acbb964487a9e14ca81fcab867c', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000009, '5dc85acbb964487a9e14ca81fcab867c', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '5dc85acbb964487a9e14ca81fcab867c', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000010, '5dc85acbb964487a9e14ca81fcab867c', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '5dc85acbb964487a9e14ca81fcab867c', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000011, '5dc85acbb964487a9e14ca81fcab867c', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '5dc85acbb964487a9e14ca81fcab867c', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000012, '5dc85acbb964487a9e14ca81fcab867c', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '5dc85acbb964487a9e14ca81fcab867c', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000013, '5dc85acbb964487a9e14ca81fcab867c', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '5dc85acbb964487a9e14ca81fcab867c', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000014, '5dc85acbb964487a9e14ca81fcab867c', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '5dc85acbb964487a9e14ca81fcab867c', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000015, '5dc85acbb964487a9e14ca81fcab867c', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '5dc85acbb964487a9e14ca81fcab867c', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000016, '5dc85acbb964487a9e14ca81fcab867c', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '5dc85acbb964487a9e14ca81fcab867c', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000017, '5dc85acbb964487a9e14ca81fcab867c', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '5dc85acbb964487a9e14ca81fcab867c', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000018, '5dc85acbb964487a9e14ca81fcab867c', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '5dc85acbb964487a9e14ca81fcab867c', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000019, '5dc85acbb964487a9e14ca81fcab867c', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '5dc85acbb964487a9e14ca81fcab867c', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.25, 1700000000000, 'efea3298e83649afb19701dd52a35e8d', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, 'efea3298e83649afb19701dd52a35e8d', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000001, 'efea3298e83649afb19701dd52a35e8d', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, 'efea3298e83649afb19701dd52a35e8d', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000002, 'efea3298e83649afb19701dd52a35e8d', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, 'efea3298e83649afb19701dd52a35e8d', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000003, 'efea3298e83649afb19701dd52a35e8d', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, 'efea3298e83649afb19701dd52a35e8d', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000004, 'efea3298e83649afb19701dd52a35e8d', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, 'efea3298e83649afb19701dd52a35e8d', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000005, 'efea3298e83649afb19701dd52a35e8d', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, 'efea3298e83649afb19701dd52a35e8d', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000006, 'efea3298e83649afb19701dd52a35e8d', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, 'efea3298e83649afb19701dd52a35e8d', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000007, 'efea3298e83649afb19701dd52a35e8d', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, 'efea3298e83649afb19701dd52a35e8d', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000008, 'efea3298e83649afb19701dd52a35e8d', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, 'efea3298e83649afb19701dd52a35e8d', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000009, 'efea3298e83649afb19701dd52a35e8d', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, 'efea3298e83649afb19701dd52a35e8d', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000010, 'efea3298e83649afb19701dd52a35e8d', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, 'efea3298e83649afb19701dd52a35e8d', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000011, 'efea3298e83649afb19701dd52a35e8d', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, 'efea3298e83649afb19701dd52a35e8d', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000012, 'efea3298e83649afb19701dd52a35e8d', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, 'efea3298e83649afb19701dd52a35e8d', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000013, 'efea3298e83649afb19701dd52a35e8d', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, 'efea3298e83649afb19701dd52a35e8d', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000014, 'efea3298e83649afb19701dd52a35e8d', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, 'efea3298e83649afb19701dd52a35e8d', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000015, 'efea3298e83649afb19701dd52a35e8d', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, 'efea3298e83649afb19701dd52a35e8d', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000016, 'efea3298e83649afb19701dd52a35e8d', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, 'efea3298e83649afb19701dd52a35e8d', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000017, 'efea3298e83649afb19701dd52a35e8d', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, 'efea3298e83649afb19701dd52a35e8d', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000018, 'efea3298e83649afb19701dd52a35e8d', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, 'efea3298e83649afb19701dd52a35e8d', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000019, 'efea3298e83649afb19701dd52a35e8d', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, 'efea3298e83649afb19701dd52a35e8d', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.2, 1700000000000, '95e23872af514ee3bcf9996deb469b53', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '95e23872af514ee3bcf9996deb469b53', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000001, '95e23872af514ee3bcf9996deb469b53', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '95e23872af514ee3bcf9996deb469b53', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000002, '95e23872af514ee3bcf9996deb469b53', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '95e23872af514ee3bcf9996deb469b53', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000003, '95e23872af514ee3bcf9996deb469b53', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '95e23872af514ee3bcf9996deb469b53', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000004, '95e23872af514ee3bcf9996deb469b53', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '95e23872af514ee3bcf9996deb469b53', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000005, '95e23872af514ee3bcf9996deb469b53', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '95e23872af514ee3bcf9996deb469b53', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000006, '95e23872af514ee3bcf9996deb469b53', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '95e23872af514ee3bcf9996deb469b53', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000007, '95e23872af514ee3bcf9996deb469b53', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '95e23872af514ee3bcf9996deb469b53', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000008, '95e23872af514ee3bcf9996deb469b53', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '95e23872af514ee3bcf9996deb469b53', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000009, '95e23872af514ee3bcf9996deb469b53', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '95e23872af514ee3bcf9996deb469b53', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000010, '95e23872af514ee3bcf9996deb469b53', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '95e23872af514ee3bcf9996deb469b53', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000011, '95e23872af514ee3bcf9996deb469b53', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '95e23872af514ee3bcf9996deb469b53', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000012, '95e23872af514ee3bcf9996deb469b53', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '95e23872af514ee3bcf9996deb469b53', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000013, '95e23872af514ee3bcf9996deb469b53', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '95e23872af514ee3bcf9996deb469b53', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000014, '95e23872af514ee3bcf9996deb469b53', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '95e23872af514ee3bcf9996deb469b53', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000015, '95e23872af514ee3bcf9996deb469b53', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '95e23872af514ee3bcf9996deb469b53', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000016, '95e23872af514ee3bcf9996deb469b53', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '95e23872af514ee3bcf9996deb469b53', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000017, '95e23872af514ee3bcf9996deb469b53', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '95e23872af514ee3bcf9996deb469b53', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000018, '95e23872af514ee3bcf9996deb469b53', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '95e23872af514ee3bcf9996deb469b53', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.041666666666666664, 1700000000019, '95e23872af514ee3bcf9996deb469b53', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '95e23872af514ee3bcf9996deb469b53', 19, false);
INSERT INTO public.metrics VALUES ('loss', 0.16666666666666666, 1700000000000, '911841f3eead4dc8a9b0d145a11f2cb2', 0, false);
INSERT INTO public.metrics VALUES ('acc', 0, 1700000000000, '911841f3eead4dc8a9b0d145a11f2cb2', 0, false);
INSERT INTO public.metrics VALUES ('loss', 0.14285714285714285, 1700000000001, '911841f3eead4dc8a9b0d145a11f2cb2', 1, false);
INSERT INTO public.metrics VALUES ('acc', 0.05, 1700000000001, '911841f3eead4dc8a9b0d145a11f2cb2', 1, false);
INSERT INTO public.metrics VALUES ('loss', 0.125, 1700000000002, '911841f3eead4dc8a9b0d145a11f2cb2', 2, false);
INSERT INTO public.metrics VALUES ('acc', 0.1, 1700000000002, '911841f3eead4dc8a9b0d145a11f2cb2', 2, false);
INSERT INTO public.metrics VALUES ('loss', 0.1111111111111111, 1700000000003, '911841f3eead4dc8a9b0d145a11f2cb2', 3, false);
INSERT INTO public.metrics VALUES ('acc', 0.15, 1700000000003, '911841f3eead4dc8a9b0d145a11f2cb2', 3, false);
INSERT INTO public.metrics VALUES ('loss', 0.1, 1700000000004, '911841f3eead4dc8a9b0d145a11f2cb2', 4, false);
INSERT INTO public.metrics VALUES ('acc', 0.2, 1700000000004, '911841f3eead4dc8a9b0d145a11f2cb2', 4, false);
INSERT INTO public.metrics VALUES ('loss', 0.09090909090909091, 1700000000005, '911841f3eead4dc8a9b0d145a11f2cb2', 5, false);
INSERT INTO public.metrics VALUES ('acc', 0.25, 1700000000005, '911841f3eead4dc8a9b0d145a11f2cb2', 5, false);
INSERT INTO public.metrics VALUES ('loss', 0.08333333333333333, 1700000000006, '911841f3eead4dc8a9b0d145a11f2cb2', 6, false);
INSERT INTO public.metrics VALUES ('acc', 0.3, 1700000000006, '911841f3eead4dc8a9b0d145a11f2cb2', 6, false);
INSERT INTO public.metrics VALUES ('loss', 0.07692307692307693, 1700000000007, '911841f3eead4dc8a9b0d145a11f2cb2', 7, false);
INSERT INTO public.metrics VALUES ('acc', 0.35, 1700000000007, '911841f3eead4dc8a9b0d145a11f2cb2', 7, false);
INSERT INTO public.metrics VALUES ('loss', 0.07142857142857142, 1700000000008, '911841f3eead4dc8a9b0d145a11f2cb2', 8, false);
INSERT INTO public.metrics VALUES ('acc', 0.4, 1700000000008, '911841f3eead4dc8a9b0d145a11f2cb2', 8, false);
INSERT INTO public.metrics VALUES ('loss', 0.06666666666666667, 1700000000009, '911841f3eead4dc8a9b0d145a11f2cb2', 9, false);
INSERT INTO public.metrics VALUES ('acc', 0.45, 1700000000009, '911841f3eead4dc8a9b0d145a11f2cb2', 9, false);
INSERT INTO public.metrics VALUES ('loss', 0.0625, 1700000000010, '911841f3eead4dc8a9b0d145a11f2cb2', 10, false);
INSERT INTO public.metrics VALUES ('acc', 0.5, 1700000000010, '911841f3eead4dc8a9b0d145a11f2cb2', 10, false);
INSERT INTO public.metrics VALUES ('loss', 0.058823529411764705, 1700000000011, '911841f3eead4dc8a9b0d145a11f2cb2', 11, false);
INSERT INTO public.metrics VALUES ('acc', 0.55, 1700000000011, '911841f3eead4dc8a9b0d145a11f2cb2', 11, false);
INSERT INTO public.metrics VALUES ('loss', 0.05555555555555555, 1700000000012, '911841f3eead4dc8a9b0d145a11f2cb2', 12, false);
INSERT INTO public.metrics VALUES ('acc', 0.6, 1700000000012, '911841f3eead4dc8a9b0d145a11f2cb2', 12, false);
INSERT INTO public.metrics VALUES ('loss', 0.05263157894736842, 1700000000013, '911841f3eead4dc8a9b0d145a11f2cb2', 13, false);
INSERT INTO public.metrics VALUES ('acc', 0.65, 1700000000013, '911841f3eead4dc8a9b0d145a11f2cb2', 13, false);
INSERT INTO public.metrics VALUES ('loss', 0.05, 1700000000014, '911841f3eead4dc8a9b0d145a11f2cb2', 14, false);
INSERT INTO public.metrics VALUES ('acc', 0.7, 1700000000014, '911841f3eead4dc8a9b0d145a11f2cb2', 14, false);
INSERT INTO public.metrics VALUES ('loss', 0.047619047619047616, 1700000000015, '911841f3eead4dc8a9b0d145a11f2cb2', 15, false);
INSERT INTO public.metrics VALUES ('acc', 0.75, 1700000000015, '911841f3eead4dc8a9b0d145a11f2cb2', 15, false);
INSERT INTO public.metrics VALUES ('loss', 0.045454545454545456, 1700000000016, '911841f3eead4dc8a9b0d145a11f2cb2', 16, false);
INSERT INTO public.metrics VALUES ('acc', 0.8, 1700000000016, '911841f3eead4dc8a9b0d145a11f2cb2', 16, false);
INSERT INTO public.metrics VALUES ('loss', 0.043478260869565216, 1700000000017, '911841f3eead4dc8a9b0d145a11f2cb2', 17, false);
INSERT INTO public.metrics VALUES ('acc', 0.85, 1700000000017, '911841f3eead4dc8a9b0d145a11f2cb2', 17, false);
INSERT INTO public.metrics VALUES ('loss', 0.041666666666666664, 1700000000018, '911841f3eead4dc8a9b0d145a11f2cb2', 18, false);
INSERT INTO public.metrics VALUES ('acc', 0.9, 1700000000018, '911841f3eead4dc8a9b0d145a11f2cb2', 18, false);
INSERT INTO public.metrics VALUES ('loss', 0.04, 1700000000019, '911841f3eead4dc8a9b0d145a11f2cb2', 19, false);
INSERT INTO public.metrics VALUES ('acc', 0.95, 1700000000019, '911841f3eead4dc8a9b0d145a11f2cb2', 19, false);


--
-- Data for Name: model_definitions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: model_version_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.model_version_tags VALUES ('validated', 'yes', 'shared-model', 1, 'default');


--
-- Data for Name: model_versions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.model_versions VALUES ('shared-model', 1, 1796299176682, 1796299176682, '', NULL, 'None', 'runs:/3632ec423fe6435b8edd5310febf2f28/model', '3632ec423fe6435b8edd5310febf2f28', 'READY', NULL, '', 'runs:/3632ec423fe6435b8edd5310febf2f28/model', 'default');
INSERT INTO public.model_versions VALUES ('shared-model', 2, 1796299188379, 1796299188379, '', NULL, 'None', 'runs:/cdf90392c4cb4271b291d7e5c9cba7ac/model', 'cdf90392c4cb4271b291d7e5c9cba7ac', 'READY', NULL, '', 'runs:/cdf90392c4cb4271b291d7e5c9cba7ac/model', 'default');


--
-- Data for Name: online_scoring_configs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: params; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.params VALUES ('alpha', '0.0', '3632ec423fe6435b8edd5310febf2f28');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '3632ec423fe6435b8edd5310febf2f28');
INSERT INTO public.params VALUES ('alpha', '0.1', 'cdf90392c4cb4271b291d7e5c9cba7ac');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'cdf90392c4cb4271b291d7e5c9cba7ac');
INSERT INTO public.params VALUES ('alpha', '0.2', '5dc85acbb964487a9e14ca81fcab867c');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '5dc85acbb964487a9e14ca81fcab867c');
INSERT INTO public.params VALUES ('alpha', '0.3', 'efea3298e83649afb19701dd52a35e8d');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'efea3298e83649afb19701dd52a35e8d');
INSERT INTO public.params VALUES ('alpha', '0.4', '95e23872af514ee3bcf9996deb469b53');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '95e23872af514ee3bcf9996deb469b53');
INSERT INTO public.params VALUES ('alpha', '0.5', '911841f3eead4dc8a9b0d145a11f2cb2');
INSERT INTO public.params VALUES ('long', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '911841f3eead4dc8a9b0d145a11f2cb2');


--
-- Data for Name: registered_model_aliases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_aliases VALUES ('champion', 1, 'shared-model', 'default');


--
-- Data for Name: registered_model_permissions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_permissions VALUES (1, 'shared-model', 1, 'MANAGE', 'default');
INSERT INTO public.registered_model_permissions VALUES (2, 'shared-model', 2, 'READ', 'default');
INSERT INTO public.registered_model_permissions VALUES (3, 'shared-model', 3, 'EDIT', 'default');


--
-- Data for Name: registered_model_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_model_tags VALUES ('stage', 'old', 'shared-model', 'default');


--
-- Data for Name: registered_models; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.registered_models VALUES ('shared-model', 1796299165275, 1796299188379, '', 'default');


--
-- Data for Name: runs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.runs VALUES ('3632ec423fe6435b8edd5310febf2f28', 'run-0', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796299165418, 1796299175988, '', 'active', 'mlflow-artifacts:/1/3632ec423fe6435b8edd5310febf2f28/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('cdf90392c4cb4271b291d7e5c9cba7ac', 'run-1', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796299176694, 1796299187663, '', 'active', 'mlflow-artifacts:/1/cdf90392c4cb4271b291d7e5c9cba7ac/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('5dc85acbb964487a9e14ca81fcab867c', 'run-2', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796299188392, 1796299198901, '', 'active', 'mlflow-artifacts:/1/5dc85acbb964487a9e14ca81fcab867c/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('efea3298e83649afb19701dd52a35e8d', 'run-3', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796299199384, 1796299209636, '', 'active', 'mlflow-artifacts:/1/efea3298e83649afb19701dd52a35e8d/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('95e23872af514ee3bcf9996deb469b53', 'run-4', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796299210110, 1796299220705, '', 'active', 'mlflow-artifacts:/1/95e23872af514ee3bcf9996deb469b53/artifacts', 1, NULL);
INSERT INTO public.runs VALUES ('911841f3eead4dc8a9b0d145a11f2cb2', 'run-5', 'UNKNOWN', '', '', 'unknown', 'FINISHED', 1796299221194, 1796299231341, '', 'deleted', 'mlflow-artifacts:/1/911841f3eead4dc8a9b0d145a11f2cb2/artifacts', 1, 1796299232089);


--
-- Data for Name: scorer_permissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: scorer_versions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: scorers; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: secrets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: span_metrics; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: spans; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.spans VALUES ('tr-3dc12f7e9a237979d11908aa19a29baa', 1, 'd5adffe8e2064369', '0f4fab6ec51c7754', 'llm', 'LLM', 'OK', 1796299233512027238, 1796299233512216803, DEFAULT, '{"trace_id": "PcEvfpojeXnRGQiqGaKbqg==", "span_id": "1a3/6OIGQ2k=", "parent_span_id": "D0+rbsUcd1Q=", "name": "llm", "start_time_unix_nano": 1796299233512027238, "end_time_unix_nano": 1796299233512216803, "events": [], "status": {"code": "STATUS_CODE_OK", "message": ""}, "attributes": {"mlflow.traceRequestId": "\"tr-3dc12f7e9a237979d11908aa19a29baa\"", "mlflow.spanType": "\"LLM\"", "mlflow.chat.tokenUsage": "{\"input_tokens\": 10, \"output_tokens\": 5, \"total_tokens\": 15}", "mlflow.spanOutputs": "{\"a\": \"answer\"}"}}', 'null');
INSERT INTO public.spans VALUES ('tr-3dc12f7e9a237979d11908aa19a29baa', 1, '0f4fab6ec51c7754', NULL, 'agent-0', 'UNKNOWN', 'OK', 1796299233419156011, 1796299233913491563, DEFAULT, '{"trace_id": "PcEvfpojeXnRGQiqGaKbqg==", "span_id": "D0+rbsUcd1Q=", "parent_span_id": null, "name": "agent-0", "start_time_unix_nano": 1796299233419156011, "end_time_unix_nano": 1796299233913491563, "events": [], "status": {"code": "STATUS_CODE_OK", "message": ""}, "attributes": {"mlflow.traceRequestId": "\"tr-3dc12f7e9a237979d11908aa19a29baa\"", "mlflow.spanType": "\"UNKNOWN\"", "mlflow.spanInputs": "{\"q\": \"question 0\"}", "mlflow.spanOutputs": "{\"a\": \"answer\"}"}}', 'null');
INSERT INTO public.spans VALUES ('tr-e3714107332863becddf9ad25d059689', 1, 'b1f5afb323f45b7b', '0f1557672630136f', 'llm', 'LLM', 'OK', 1796299234547686050, 1796299234547859064, DEFAULT, '{"trace_id": "43FBBzMoY77N35rSXQWWiQ==", "span_id": "sfWvsyP0W3s=", "parent_span_id": "DxVXZyYwE28=", "name": "llm", "start_time_unix_nano": 1796299234547686050, "end_time_unix_nano": 1796299234547859064, "events": [], "status": {"code": "STATUS_CODE_OK", "message": ""}, "attributes": {"mlflow.traceRequestId": "\"tr-e3714107332863becddf9ad25d059689\"", "mlflow.spanType": "\"LLM\"", "mlflow.chat.tokenUsage": "{\"input_tokens\": 11, \"output_tokens\": 5, \"total_tokens\": 16}", "mlflow.spanOutputs": "{\"a\": \"answer\"}"}}', 'null');
INSERT INTO public.spans VALUES ('tr-e3714107332863becddf9ad25d059689', 1, '0f1557672630136f', NULL, 'agent-1', 'UNKNOWN', 'OK', 1796299234547291069, 1796299234685810382, DEFAULT, '{"trace_id": "43FBBzMoY77N35rSXQWWiQ==", "span_id": "DxVXZyYwE28=", "parent_span_id": null, "name": "agent-1", "start_time_unix_nano": 1796299234547291069, "end_time_unix_nano": 1796299234685810382, "events": [], "status": {"code": "STATUS_CODE_OK", "message": ""}, "attributes": {"mlflow.traceRequestId": "\"tr-e3714107332863becddf9ad25d059689\"", "mlflow.spanType": "\"UNKNOWN\"", "mlflow.spanInputs": "{\"q\": \"question 1\"}", "mlflow.spanOutputs": "{\"a\": \"answer\"}"}}', 'null');
INSERT INTO public.spans VALUES ('tr-a9f0416b06cbb016c2ebcf1b0bac27e6', 1, '901f1d7f96ae35bf', '45bf0c67e963f11e', 'llm', 'LLM', 'OK', 1796299235306847732, 1796299235307683099, DEFAULT, '{"trace_id": "qfBBawbLsBbC688bC6wn5g==", "span_id": "kB8df5auNb8=", "parent_span_id": "Rb8MZ+lj8R4=", "name": "llm", "start_time_unix_nano": 1796299235306847732, "end_time_unix_nano": 1796299235307683099, "events": [], "status": {"code": "STATUS_CODE_OK", "message": ""}, "attributes": {"mlflow.traceRequestId": "\"tr-a9f0416b06cbb016c2ebcf1b0bac27e6\"", "mlflow.spanType": "\"LLM\"", "mlflow.chat.tokenUsage": "{\"input_tokens\": 12, \"output_tokens\": 5, \"total_tokens\": 17}", "mlflow.spanOutputs": "{\"a\": \"answer\"}"}}', 'null');
INSERT INTO public.spans VALUES ('tr-a9f0416b06cbb016c2ebcf1b0bac27e6', 1, '45bf0c67e963f11e', NULL, 'agent-2', 'UNKNOWN', 'OK', 1796299235306457701, 1796299235451829466, DEFAULT, '{"trace_id": "qfBBawbLsBbC688bC6wn5g==", "span_id": "Rb8MZ+lj8R4=", "parent_span_id": null, "name": "agent-2", "start_time_unix_nano": 1796299235306457701, "end_time_unix_nano": 1796299235451829466, "events": [], "status": {"code": "STATUS_CODE_OK", "message": ""}, "attributes": {"mlflow.traceRequestId": "\"tr-a9f0416b06cbb016c2ebcf1b0bac27e6\"", "mlflow.spanType": "\"UNKNOWN\"", "mlflow.spanInputs": "{\"q\": \"question 2\"}", "mlflow.spanOutputs": "{\"a\": \"answer\"}"}}', 'null');


--
-- Data for Name: tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.tags VALUES ('i', '0', '3632ec423fe6435b8edd5310febf2f28');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-0', '3632ec423fe6435b8edd5310febf2f28');
INSERT INTO public.tags VALUES ('i', '1', 'cdf90392c4cb4271b291d7e5c9cba7ac');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-1', 'cdf90392c4cb4271b291d7e5c9cba7ac');
INSERT INTO public.tags VALUES ('i', '2', '5dc85acbb964487a9e14ca81fcab867c');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-2', '5dc85acbb964487a9e14ca81fcab867c');
INSERT INTO public.tags VALUES ('i', '3', 'efea3298e83649afb19701dd52a35e8d');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-3', 'efea3298e83649afb19701dd52a35e8d');
INSERT INTO public.tags VALUES ('i', '4', '95e23872af514ee3bcf9996deb469b53');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-4', '95e23872af514ee3bcf9996deb469b53');
INSERT INTO public.tags VALUES ('i', '5', '911841f3eead4dc8a9b0d145a11f2cb2');
INSERT INTO public.tags VALUES ('mlflow.runName', 'run-5', '911841f3eead4dc8a9b0d145a11f2cb2');


--
-- Data for Name: trace_info; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_info VALUES ('tr-3dc12f7e9a237979d11908aa19a29baa', 1, 1796299233419, 494, 'OK', NULL, '{"q": "question 0"}', '{"a": "answer"}');
INSERT INTO public.trace_info VALUES ('tr-e3714107332863becddf9ad25d059689', 1, 1796299234547, 138, 'OK', NULL, '{"q": "question 1"}', '{"a": "answer"}');
INSERT INTO public.trace_info VALUES ('tr-a9f0416b06cbb016c2ebcf1b0bac27e6', 1, 1796299235306, 145, 'OK', NULL, '{"q": "question 2"}', '{"a": "answer"}');


--
-- Data for Name: trace_metrics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_metrics VALUES ('tr-3dc12f7e9a237979d11908aa19a29baa', 'input_tokens', 10);
INSERT INTO public.trace_metrics VALUES ('tr-3dc12f7e9a237979d11908aa19a29baa', 'output_tokens', 5);
INSERT INTO public.trace_metrics VALUES ('tr-3dc12f7e9a237979d11908aa19a29baa', 'total_tokens', 15);
INSERT INTO public.trace_metrics VALUES ('tr-e3714107332863becddf9ad25d059689', 'input_tokens', 11);
INSERT INTO public.trace_metrics VALUES ('tr-e3714107332863becddf9ad25d059689', 'output_tokens', 5);
INSERT INTO public.trace_metrics VALUES ('tr-e3714107332863becddf9ad25d059689', 'total_tokens', 16);
INSERT INTO public.trace_metrics VALUES ('tr-a9f0416b06cbb016c2ebcf1b0bac27e6', 'input_tokens', 12);
INSERT INTO public.trace_metrics VALUES ('tr-a9f0416b06cbb016c2ebcf1b0bac27e6', 'output_tokens', 5);
INSERT INTO public.trace_metrics VALUES ('tr-a9f0416b06cbb016c2ebcf1b0bac27e6', 'total_tokens', 17);


--
-- Data for Name: trace_request_metadata; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.tokenUsage', '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.sizeStats', '{"total_size_bytes": 1968, "num_spans": 2, "max": 526, "p25": 488, "p50": 501, "p75": 513}', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.sizeBytes', '1968', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.user', 'admin', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.traceOutputs', '{"a": "answer"}', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.traceInputs', '{"q": "question 0"}', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.session', 'session-1', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.commit', 'ce69b17c2c4710053fd4f9dadcf8af31bf013c87', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.repoURL', '', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '3', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.branch', 'main', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.type', 'LOCAL', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.tokenUsage', '{"input_tokens": 11, "output_tokens": 5, "total_tokens": 16}', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.sizeStats', '{"total_size_bytes": 1968, "num_spans": 2, "max": 526, "p25": 488, "p50": 501, "p75": 513}', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.sizeBytes', '1968', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.user', 'admin', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.traceOutputs', '{"a": "answer"}', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.traceInputs', '{"q": "question 1"}', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.session', 'session-1', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.commit', 'ce69b17c2c4710053fd4f9dadcf8af31bf013c87', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.repoURL', '', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '3', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.branch', 'main', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.type', 'LOCAL', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.tokenUsage', '{"input_tokens": 12, "output_tokens": 5, "total_tokens": 17}', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.sizeStats', '{"total_size_bytes": 1968, "num_spans": 2, "max": 526, "p25": 488, "p50": 501, "p75": 513}', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.sizeBytes', '1968', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.user', 'admin', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.traceOutputs', '{"a": "answer"}', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.traceInputs', '{"q": "question 2"}', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.name', '/work/main/sample_data/make_old_server.py', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace.session', 'session-1', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.commit', 'ce69b17c2c4710053fd4f9dadcf8af31bf013c87', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.repoURL', '', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.trace_schema.version', '3', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.git.branch', 'main', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_request_metadata VALUES ('mlflow.source.type', 'LOCAL', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');


--
-- Data for Name: trace_tags; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/tr-3dc12f7e9a237979d11908aa19a29baa/artifacts', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_tags VALUES ('mlflow.trace.spansLocation', 'TRACKING_STORE', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-0', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_tags VALUES ('topic', 'sample', 'tr-3dc12f7e9a237979d11908aa19a29baa');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/tr-e3714107332863becddf9ad25d059689/artifacts', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_tags VALUES ('mlflow.trace.spansLocation', 'TRACKING_STORE', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-1', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_tags VALUES ('topic', 'sample', 'tr-e3714107332863becddf9ad25d059689');
INSERT INTO public.trace_tags VALUES ('mlflow.artifactLocation', 'mlflow-artifacts:/1/traces/tr-a9f0416b06cbb016c2ebcf1b0bac27e6/artifacts', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_tags VALUES ('mlflow.trace.spansLocation', 'TRACKING_STORE', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_tags VALUES ('mlflow.traceName', 'agent-2', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');
INSERT INTO public.trace_tags VALUES ('topic', 'sample', 'tr-a9f0416b06cbb016c2ebcf1b0bac27e6');


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.users VALUES (1, 'admin', 'scrypt:32768:8:1$KUqfCATbgEXASBzR$d236cd04c625c26511a4e2ed3b4fed1f700a984d755476780127768923992c5763f167f64cf4b545b5f6aff87f4c7775e472536b22df753af64dcf9b0b60021b', true);
INSERT INTO public.users VALUES (2, 'reader', 'scrypt:32768:8:1$8gSg1MkTvcXMZtFd$ddfe700c04e818254ba54f73fb12c6691c8e46b334db03db108bf432ab5b5bb1553d098988f382efd3e95c96dd98b673db9716825c37ee0f3580383815305c4b', false);
INSERT INTO public.users VALUES (3, 'editor', 'scrypt:32768:8:1$MLtU3HeDTK9EamX8$34475cae193f7a552929d381176e738d02f3dffb7b2ec4ef6b44b45302965e7503bedf94c374e854e308ada77debde0a9d28ba644f833ce17b5245185bcdeb7c', false);


--
-- Data for Name: webhook_events; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webhooks; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: workspace_permissions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: workspaces; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.workspaces VALUES ('default', 'Default workspace for legacy resources', NULL);


--
-- Name: experiment_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.experiment_permissions_id_seq', 4, true);


--
-- Name: experiments_experiment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.experiments_experiment_id_seq', 2, true);


--
-- Name: gateway_endpoint_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.gateway_endpoint_permissions_id_seq', 1, false);


--
-- Name: gateway_model_definition_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.gateway_model_definition_permissions_id_seq', 1, false);


--
-- Name: gateway_secret_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.gateway_secret_permissions_id_seq', 1, false);


--
-- Name: registered_model_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.registered_model_permissions_id_seq', 3, true);


--
-- Name: scorer_permissions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.scorer_permissions_id_seq', 1, false);


--
-- Name: users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.users_id_seq', 3, true);


--
-- Name: alembic_version_auth alembic_version_auth_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version_auth
    ADD CONSTRAINT alembic_version_auth_pkc PRIMARY KEY (version_num);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: assessments assessments_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments
    ADD CONSTRAINT assessments_pk PRIMARY KEY (assessment_id);


--
-- Name: datasets dataset_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.datasets
    ADD CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest);


--
-- Name: endpoint_bindings endpoint_bindings_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoint_bindings
    ADD CONSTRAINT endpoint_bindings_pk PRIMARY KEY (endpoint_id, resource_type, resource_id);


--
-- Name: endpoint_model_mappings endpoint_model_mappings_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoint_model_mappings
    ADD CONSTRAINT endpoint_model_mappings_pk PRIMARY KEY (mapping_id);


--
-- Name: endpoint_tags endpoint_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoint_tags
    ADD CONSTRAINT endpoint_tag_pk PRIMARY KEY (key, endpoint_id);


--
-- Name: endpoints endpoints_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoints
    ADD CONSTRAINT endpoints_pk PRIMARY KEY (endpoint_id);


--
-- Name: entity_associations entity_associations_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.entity_associations
    ADD CONSTRAINT entity_associations_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id);


--
-- Name: evaluation_dataset_records evaluation_dataset_records_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation_dataset_records
    ADD CONSTRAINT evaluation_dataset_records_pk PRIMARY KEY (dataset_record_id);


--
-- Name: evaluation_dataset_tags evaluation_dataset_tags_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation_dataset_tags
    ADD CONSTRAINT evaluation_dataset_tags_pk PRIMARY KEY (dataset_id, key);


--
-- Name: evaluation_datasets evaluation_datasets_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation_datasets
    ADD CONSTRAINT evaluation_datasets_pk PRIMARY KEY (dataset_id);


--
-- Name: experiment_permissions experiment_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions
    ADD CONSTRAINT experiment_permissions_pkey PRIMARY KEY (id);


--
-- Name: experiments experiment_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments
    ADD CONSTRAINT experiment_pk PRIMARY KEY (experiment_id);


--
-- Name: experiment_tags experiment_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_tags
    ADD CONSTRAINT experiment_tag_pk PRIMARY KEY (key, experiment_id);


--
-- Name: gateway_endpoint_permissions gateway_endpoint_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_endpoint_permissions
    ADD CONSTRAINT gateway_endpoint_permissions_pkey PRIMARY KEY (id);


--
-- Name: gateway_model_definition_permissions gateway_model_definition_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_model_definition_permissions
    ADD CONSTRAINT gateway_model_definition_permissions_pkey PRIMARY KEY (id);


--
-- Name: gateway_secret_permissions gateway_secret_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_secret_permissions
    ADD CONSTRAINT gateway_secret_permissions_pkey PRIMARY KEY (id);


--
-- Name: input_tags input_tags_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.input_tags
    ADD CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name);


--
-- Name: inputs inputs_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inputs
    ADD CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id);


--
-- Name: jobs jobs_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_pk PRIMARY KEY (id);


--
-- Name: latest_metrics latest_metric_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.latest_metrics
    ADD CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid);


--
-- Name: logged_model_metrics logged_model_metrics_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT logged_model_metrics_pk PRIMARY KEY (model_id, metric_name, metric_timestamp_ms, metric_step, run_id);


--
-- Name: logged_model_params logged_model_params_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_params
    ADD CONSTRAINT logged_model_params_pk PRIMARY KEY (model_id, param_key);


--
-- Name: logged_model_tags logged_model_tags_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_tags
    ADD CONSTRAINT logged_model_tags_pk PRIMARY KEY (model_id, tag_key);


--
-- Name: logged_models logged_models_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_models
    ADD CONSTRAINT logged_models_pk PRIMARY KEY (model_id);


--
-- Name: metrics metric_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metric_pk PRIMARY KEY (key, "timestamp", step, run_uuid, value, is_nan);


--
-- Name: model_definitions model_definitions_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_definitions
    ADD CONSTRAINT model_definitions_pk PRIMARY KEY (model_definition_id);


--
-- Name: model_versions model_version_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_versions
    ADD CONSTRAINT model_version_pk PRIMARY KEY (workspace, name, version);


--
-- Name: model_version_tags model_version_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_version_tags
    ADD CONSTRAINT model_version_tag_pk PRIMARY KEY (workspace, key, name, version);


--
-- Name: online_scoring_configs online_scoring_config_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.online_scoring_configs
    ADD CONSTRAINT online_scoring_config_pk PRIMARY KEY (online_scoring_config_id);


--
-- Name: params param_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.params
    ADD CONSTRAINT param_pk PRIMARY KEY (key, run_uuid);


--
-- Name: registered_model_aliases registered_model_alias_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_aliases
    ADD CONSTRAINT registered_model_alias_pk PRIMARY KEY (workspace, name, alias);


--
-- Name: registered_model_permissions registered_model_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions
    ADD CONSTRAINT registered_model_permissions_pkey PRIMARY KEY (id);


--
-- Name: registered_models registered_model_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_models
    ADD CONSTRAINT registered_model_pk PRIMARY KEY (workspace, name);


--
-- Name: registered_model_tags registered_model_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_tags
    ADD CONSTRAINT registered_model_tag_pk PRIMARY KEY (workspace, key, name);


--
-- Name: runs run_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT run_pk PRIMARY KEY (run_uuid);


--
-- Name: scorer_permissions scorer_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorer_permissions
    ADD CONSTRAINT scorer_permissions_pkey PRIMARY KEY (id);


--
-- Name: scorers scorer_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorers
    ADD CONSTRAINT scorer_pk PRIMARY KEY (scorer_id);


--
-- Name: scorer_versions scorer_version_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorer_versions
    ADD CONSTRAINT scorer_version_pk PRIMARY KEY (scorer_id, scorer_version);


--
-- Name: secrets secrets_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.secrets
    ADD CONSTRAINT secrets_pk PRIMARY KEY (secret_id);


--
-- Name: span_metrics span_metrics_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.span_metrics
    ADD CONSTRAINT span_metrics_pk PRIMARY KEY (trace_id, span_id, key);


--
-- Name: spans spans_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spans
    ADD CONSTRAINT spans_pk PRIMARY KEY (trace_id, span_id);


--
-- Name: tags tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid);


--
-- Name: trace_info trace_info_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_info
    ADD CONSTRAINT trace_info_pk PRIMARY KEY (request_id);


--
-- Name: trace_metrics trace_metrics_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_metrics
    ADD CONSTRAINT trace_metrics_pk PRIMARY KEY (request_id, key);


--
-- Name: trace_request_metadata trace_request_metadata_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_request_metadata
    ADD CONSTRAINT trace_request_metadata_pk PRIMARY KEY (key, request_id);


--
-- Name: trace_tags trace_tag_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_tags
    ADD CONSTRAINT trace_tag_pk PRIMARY KEY (key, request_id);


--
-- Name: evaluation_dataset_records unique_dataset_input; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation_dataset_records
    ADD CONSTRAINT unique_dataset_input UNIQUE (dataset_id, input_hash);


--
-- Name: gateway_endpoint_permissions unique_endpoint_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_endpoint_permissions
    ADD CONSTRAINT unique_endpoint_user UNIQUE (endpoint_id, user_id);


--
-- Name: experiment_permissions unique_experiment_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions
    ADD CONSTRAINT unique_experiment_user UNIQUE (experiment_id, user_id);


--
-- Name: gateway_model_definition_permissions unique_model_def_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_model_definition_permissions
    ADD CONSTRAINT unique_model_def_user UNIQUE (model_definition_id, user_id);


--
-- Name: scorer_permissions unique_scorer_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorer_permissions
    ADD CONSTRAINT unique_scorer_user UNIQUE (experiment_id, scorer_name, user_id);


--
-- Name: gateway_secret_permissions unique_secret_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_secret_permissions
    ADD CONSTRAINT unique_secret_user UNIQUE (secret_id, user_id);


--
-- Name: registered_model_permissions unique_workspace_name_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions
    ADD CONSTRAINT unique_workspace_name_user UNIQUE (workspace, name, user_id);


--
-- Name: endpoints uq_endpoints_workspace_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoints
    ADD CONSTRAINT uq_endpoints_workspace_name UNIQUE (workspace, name);


--
-- Name: experiments uq_experiments_workspace_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiments
    ADD CONSTRAINT uq_experiments_workspace_name UNIQUE (workspace, name);


--
-- Name: model_definitions uq_model_definitions_workspace_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_definitions
    ADD CONSTRAINT uq_model_definitions_workspace_name UNIQUE (workspace, name);


--
-- Name: secrets uq_secrets_workspace_secret_name; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.secrets
    ADD CONSTRAINT uq_secrets_workspace_secret_name UNIQUE (workspace, secret_name);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: users users_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);


--
-- Name: webhook_events webhook_event_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_events
    ADD CONSTRAINT webhook_event_pk PRIMARY KEY (webhook_id, entity, action);


--
-- Name: webhooks webhook_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhook_pk PRIMARY KEY (webhook_id);


--
-- Name: workspace_permissions workspace_permissions_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspace_permissions
    ADD CONSTRAINT workspace_permissions_pk PRIMARY KEY (workspace, user_id);


--
-- Name: workspaces workspaces_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspaces
    ADD CONSTRAINT workspaces_pk PRIMARY KEY (name);


--
-- Name: idx_endpoints_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_endpoints_workspace ON public.endpoints USING btree (workspace);


--
-- Name: idx_evaluation_datasets_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_evaluation_datasets_workspace ON public.evaluation_datasets USING btree (workspace);


--
-- Name: idx_experiments_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_experiments_workspace ON public.experiments USING btree (workspace);


--
-- Name: idx_experiments_workspace_creation_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_experiments_workspace_creation_time ON public.experiments USING btree (workspace, creation_time);


--
-- Name: idx_model_definitions_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_model_definitions_workspace ON public.model_definitions USING btree (workspace);


--
-- Name: idx_registered_models_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_registered_models_workspace ON public.registered_models USING btree (workspace);


--
-- Name: idx_secrets_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_secrets_workspace ON public.secrets USING btree (workspace);


--
-- Name: idx_webhook_events_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_webhook_events_action ON public.webhook_events USING btree (action);


--
-- Name: idx_webhook_events_entity; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_webhook_events_entity ON public.webhook_events USING btree (entity);


--
-- Name: idx_webhook_events_entity_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_webhook_events_entity_action ON public.webhook_events USING btree (entity, action);


--
-- Name: idx_webhooks_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_webhooks_name ON public.webhooks USING btree (name);


--
-- Name: idx_webhooks_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_webhooks_status ON public.webhooks USING btree (status);


--
-- Name: idx_webhooks_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_webhooks_workspace ON public.webhooks USING btree (workspace);


--
-- Name: idx_workspace_permissions_user_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workspace_permissions_user_id ON public.workspace_permissions USING btree (user_id);


--
-- Name: idx_workspace_permissions_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workspace_permissions_workspace ON public.workspace_permissions USING btree (workspace);


--
-- Name: index_assessments_assessment_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_assessments_assessment_type ON public.assessments USING btree (assessment_type);


--
-- Name: index_assessments_last_updated_timestamp; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_assessments_last_updated_timestamp ON public.assessments USING btree (last_updated_timestamp);


--
-- Name: index_assessments_run_id_created_timestamp; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_assessments_run_id_created_timestamp ON public.assessments USING btree (run_id, created_timestamp);


--
-- Name: index_assessments_trace_id_created_timestamp; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_assessments_trace_id_created_timestamp ON public.assessments USING btree (trace_id, created_timestamp);


--
-- Name: index_datasets_dataset_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_datasets_dataset_uuid ON public.datasets USING btree (dataset_uuid);


--
-- Name: index_datasets_experiment_id_dataset_source_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_datasets_experiment_id_dataset_source_type ON public.datasets USING btree (experiment_id, dataset_source_type);


--
-- Name: index_endpoint_model_mappings_endpoint_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_endpoint_model_mappings_endpoint_id ON public.endpoint_model_mappings USING btree (endpoint_id);


--
-- Name: index_endpoint_model_mappings_model_definition_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_endpoint_model_mappings_model_definition_id ON public.endpoint_model_mappings USING btree (model_definition_id);


--
-- Name: index_endpoint_tags_endpoint_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_endpoint_tags_endpoint_id ON public.endpoint_tags USING btree (endpoint_id);


--
-- Name: index_entity_associations_association_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_entity_associations_association_id ON public.entity_associations USING btree (association_id);


--
-- Name: index_entity_associations_reverse_lookup; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_entity_associations_reverse_lookup ON public.entity_associations USING btree (destination_type, destination_id, source_type, source_id);


--
-- Name: index_evaluation_dataset_records_dataset_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_evaluation_dataset_records_dataset_id ON public.evaluation_dataset_records USING btree (dataset_id);


--
-- Name: index_evaluation_dataset_tags_dataset_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_evaluation_dataset_tags_dataset_id ON public.evaluation_dataset_tags USING btree (dataset_id);


--
-- Name: index_evaluation_datasets_created_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_evaluation_datasets_created_time ON public.evaluation_datasets USING btree (created_time);


--
-- Name: index_evaluation_datasets_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_evaluation_datasets_name ON public.evaluation_datasets USING btree (name);


--
-- Name: index_inputs_destination_type_destination_id_source_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_inputs_destination_type_destination_id_source_type ON public.inputs USING btree (destination_type, destination_id, source_type);


--
-- Name: index_inputs_input_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_inputs_input_uuid ON public.inputs USING btree (input_uuid);


--
-- Name: index_jobs_name_status_creation_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_jobs_name_status_creation_time ON public.jobs USING btree (job_name, workspace, status, creation_time);


--
-- Name: index_latest_metrics_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_latest_metrics_run_uuid ON public.latest_metrics USING btree (run_uuid);


--
-- Name: index_logged_model_metrics_model_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_logged_model_metrics_model_id ON public.logged_model_metrics USING btree (model_id);


--
-- Name: index_metrics_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_metrics_run_uuid ON public.metrics USING btree (run_uuid);


--
-- Name: index_model_definitions_provider; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_model_definitions_provider ON public.model_definitions USING btree (provider);


--
-- Name: index_model_definitions_secret_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_model_definitions_secret_id ON public.model_definitions USING btree (secret_id);


--
-- Name: index_params_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_params_run_uuid ON public.params USING btree (run_uuid);


--
-- Name: index_scorer_versions_scorer_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_scorer_versions_scorer_id ON public.scorer_versions USING btree (scorer_id);


--
-- Name: index_scorers_experiment_id_scorer_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX index_scorers_experiment_id_scorer_name ON public.scorers USING btree (experiment_id, scorer_name);


--
-- Name: index_span_metrics_trace_id_span_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_span_metrics_trace_id_span_id ON public.span_metrics USING btree (trace_id, span_id);


--
-- Name: index_spans_experiment_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_spans_experiment_id ON public.spans USING btree (experiment_id);


--
-- Name: index_spans_experiment_id_duration; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_spans_experiment_id_duration ON public.spans USING btree (experiment_id, duration_ns);


--
-- Name: index_spans_experiment_id_status_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_spans_experiment_id_status_type ON public.spans USING btree (experiment_id, status, type);


--
-- Name: index_spans_experiment_id_type_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_spans_experiment_id_type_status ON public.spans USING btree (experiment_id, type, status);


--
-- Name: index_tags_run_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_tags_run_uuid ON public.tags USING btree (run_uuid);


--
-- Name: index_trace_info_experiment_id_timestamp_ms; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_info_experiment_id_timestamp_ms ON public.trace_info USING btree (experiment_id, timestamp_ms);


--
-- Name: index_trace_metrics_request_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_metrics_request_id ON public.trace_metrics USING btree (request_id);


--
-- Name: index_trace_request_metadata_request_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_request_metadata_request_id ON public.trace_request_metadata USING btree (request_id);


--
-- Name: index_trace_tags_request_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX index_trace_tags_request_id ON public.trace_tags USING btree (request_id);


--
-- Name: unique_endpoint_model_linkage_mapping; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX unique_endpoint_model_linkage_mapping ON public.endpoint_model_mappings USING btree (endpoint_id, model_definition_id, linkage_type);


--
-- Name: secrets prevent_secrets_aad_mutation; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER prevent_secrets_aad_mutation BEFORE UPDATE ON public.secrets FOR EACH ROW EXECUTE FUNCTION public.prevent_secrets_aad_mutation();


--
-- Name: experiment_tags experiment_tags_experiment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_tags
    ADD CONSTRAINT experiment_tags_experiment_id_fkey FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: assessments fk_assessments_trace_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments
    ADD CONSTRAINT fk_assessments_trace_id FOREIGN KEY (trace_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: datasets fk_datasets_experiment_id_experiments; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.datasets
    ADD CONSTRAINT fk_datasets_experiment_id_experiments FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id) ON DELETE CASCADE;


--
-- Name: endpoint_bindings fk_endpoint_bindings_endpoint_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoint_bindings
    ADD CONSTRAINT fk_endpoint_bindings_endpoint_id FOREIGN KEY (endpoint_id) REFERENCES public.endpoints(endpoint_id) ON DELETE CASCADE;


--
-- Name: endpoint_model_mappings fk_endpoint_model_mappings_endpoint_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoint_model_mappings
    ADD CONSTRAINT fk_endpoint_model_mappings_endpoint_id FOREIGN KEY (endpoint_id) REFERENCES public.endpoints(endpoint_id) ON DELETE CASCADE;


--
-- Name: endpoint_model_mappings fk_endpoint_model_mappings_model_definition_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoint_model_mappings
    ADD CONSTRAINT fk_endpoint_model_mappings_model_definition_id FOREIGN KEY (model_definition_id) REFERENCES public.model_definitions(model_definition_id);


--
-- Name: endpoint_tags fk_endpoint_tags_endpoint_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoint_tags
    ADD CONSTRAINT fk_endpoint_tags_endpoint_id FOREIGN KEY (endpoint_id) REFERENCES public.endpoints(endpoint_id) ON DELETE CASCADE;


--
-- Name: endpoints fk_endpoints_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.endpoints
    ADD CONSTRAINT fk_endpoints_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id) ON DELETE SET NULL;


--
-- Name: evaluation_dataset_records fk_evaluation_dataset_records_dataset_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation_dataset_records
    ADD CONSTRAINT fk_evaluation_dataset_records_dataset_id FOREIGN KEY (dataset_id) REFERENCES public.evaluation_datasets(dataset_id) ON DELETE CASCADE;


--
-- Name: evaluation_dataset_tags fk_evaluation_dataset_tags_dataset_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluation_dataset_tags
    ADD CONSTRAINT fk_evaluation_dataset_tags_dataset_id FOREIGN KEY (dataset_id) REFERENCES public.evaluation_datasets(dataset_id) ON DELETE CASCADE;


--
-- Name: gateway_endpoint_permissions fk_gateway_endpoint_perm_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_endpoint_permissions
    ADD CONSTRAINT fk_gateway_endpoint_perm_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: gateway_model_definition_permissions fk_gateway_model_def_perm_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_model_definition_permissions
    ADD CONSTRAINT fk_gateway_model_def_perm_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: gateway_secret_permissions fk_gateway_secret_perm_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gateway_secret_permissions
    ADD CONSTRAINT fk_gateway_secret_perm_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: logged_model_metrics fk_logged_model_metrics_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT fk_logged_model_metrics_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: logged_model_metrics fk_logged_model_metrics_model_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT fk_logged_model_metrics_model_id FOREIGN KEY (model_id) REFERENCES public.logged_models(model_id) ON DELETE CASCADE;


--
-- Name: logged_model_metrics fk_logged_model_metrics_run_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_metrics
    ADD CONSTRAINT fk_logged_model_metrics_run_id FOREIGN KEY (run_id) REFERENCES public.runs(run_uuid) ON DELETE CASCADE;


--
-- Name: logged_model_params fk_logged_model_params_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_params
    ADD CONSTRAINT fk_logged_model_params_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: logged_model_params fk_logged_model_params_model_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_params
    ADD CONSTRAINT fk_logged_model_params_model_id FOREIGN KEY (model_id) REFERENCES public.logged_models(model_id) ON DELETE CASCADE;


--
-- Name: logged_model_tags fk_logged_model_tags_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_tags
    ADD CONSTRAINT fk_logged_model_tags_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: logged_model_tags fk_logged_model_tags_model_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_model_tags
    ADD CONSTRAINT fk_logged_model_tags_model_id FOREIGN KEY (model_id) REFERENCES public.logged_models(model_id) ON DELETE CASCADE;


--
-- Name: logged_models fk_logged_models_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.logged_models
    ADD CONSTRAINT fk_logged_models_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id) ON DELETE CASCADE;


--
-- Name: model_definitions fk_model_definitions_secret_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_definitions
    ADD CONSTRAINT fk_model_definitions_secret_id FOREIGN KEY (secret_id) REFERENCES public.secrets(secret_id) ON DELETE SET NULL;


--
-- Name: model_version_tags fk_model_version_tags_model_versions; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_version_tags
    ADD CONSTRAINT fk_model_version_tags_model_versions FOREIGN KEY (workspace, name, version) REFERENCES public.model_versions(workspace, name, version) ON UPDATE CASCADE;


--
-- Name: model_versions fk_model_versions_registered_models; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_versions
    ADD CONSTRAINT fk_model_versions_registered_models FOREIGN KEY (workspace, name) REFERENCES public.registered_models(workspace, name) ON UPDATE CASCADE;


--
-- Name: online_scoring_configs fk_online_scoring_configs_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.online_scoring_configs
    ADD CONSTRAINT fk_online_scoring_configs_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: online_scoring_configs fk_online_scoring_configs_scorer_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.online_scoring_configs
    ADD CONSTRAINT fk_online_scoring_configs_scorer_id FOREIGN KEY (scorer_id) REFERENCES public.scorers(scorer_id) ON DELETE CASCADE;


--
-- Name: registered_model_aliases fk_registered_model_aliases_registered_models; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_aliases
    ADD CONSTRAINT fk_registered_model_aliases_registered_models FOREIGN KEY (workspace, name) REFERENCES public.registered_models(workspace, name) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: registered_model_tags fk_registered_model_tags_registered_models; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_tags
    ADD CONSTRAINT fk_registered_model_tags_registered_models FOREIGN KEY (workspace, name) REFERENCES public.registered_models(workspace, name) ON UPDATE CASCADE;


--
-- Name: scorer_permissions fk_scorer_perm_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorer_permissions
    ADD CONSTRAINT fk_scorer_perm_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: scorer_versions fk_scorer_versions_scorer_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorer_versions
    ADD CONSTRAINT fk_scorer_versions_scorer_id FOREIGN KEY (scorer_id) REFERENCES public.scorers(scorer_id) ON DELETE CASCADE;


--
-- Name: scorers fk_scorers_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.scorers
    ADD CONSTRAINT fk_scorers_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id) ON DELETE CASCADE;


--
-- Name: span_metrics fk_span_metrics_span; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.span_metrics
    ADD CONSTRAINT fk_span_metrics_span FOREIGN KEY (trace_id, span_id) REFERENCES public.spans(trace_id, span_id) ON DELETE CASCADE;


--
-- Name: spans fk_spans_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spans
    ADD CONSTRAINT fk_spans_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: spans fk_spans_trace_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.spans
    ADD CONSTRAINT fk_spans_trace_id FOREIGN KEY (trace_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: trace_info fk_trace_info_experiment_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_info
    ADD CONSTRAINT fk_trace_info_experiment_id FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: trace_metrics fk_trace_metrics_request_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_metrics
    ADD CONSTRAINT fk_trace_metrics_request_id FOREIGN KEY (request_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: trace_request_metadata fk_trace_request_metadata_request_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_request_metadata
    ADD CONSTRAINT fk_trace_request_metadata_request_id FOREIGN KEY (request_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: trace_tags fk_trace_tags_request_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trace_tags
    ADD CONSTRAINT fk_trace_tags_request_id FOREIGN KEY (request_id) REFERENCES public.trace_info(request_id) ON DELETE CASCADE;


--
-- Name: experiment_permissions fk_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experiment_permissions
    ADD CONSTRAINT fk_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: registered_model_permissions fk_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registered_model_permissions
    ADD CONSTRAINT fk_user_id FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: latest_metrics latest_metrics_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.latest_metrics
    ADD CONSTRAINT latest_metrics_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: metrics metrics_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.metrics
    ADD CONSTRAINT metrics_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: params params_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.params
    ADD CONSTRAINT params_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: runs runs_experiment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_experiment_id_fkey FOREIGN KEY (experiment_id) REFERENCES public.experiments(experiment_id);


--
-- Name: tags tags_run_uuid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_run_uuid_fkey FOREIGN KEY (run_uuid) REFERENCES public.runs(run_uuid);


--
-- Name: webhook_events webhook_events_webhook_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_events
    ADD CONSTRAINT webhook_events_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES public.webhooks(webhook_id) ON DELETE CASCADE;


--
-- Name: workspace_permissions workspace_permissions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspace_permissions
    ADD CONSTRAINT workspace_permissions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- PostgreSQL database dump complete
--

